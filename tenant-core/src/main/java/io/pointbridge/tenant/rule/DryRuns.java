package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.member.MemberNotFound;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Explains what a sample event would earn under a program's published rules or its draft set, rule by
 * rule, without changing anything. For a real member, caps count what the member has had already; every
 * dry run sees what campaign budgets have left.
 */
@Service
public class DryRuns {

    private final JdbcClient jdbc;
    private final RuleVersions versions;
    private final EarningEngine engine;
    private final Memberships memberships;
    private final MemberProfiles profiles;
    private final TenantManagement tenancy;

    DryRuns(JdbcClient jdbc, RuleVersions versions, EarningEngine engine, Memberships memberships,
            MemberProfiles profiles, TenantManagement tenancy) {
        this.jdbc = jdbc;
        this.versions = versions;
        this.engine = engine;
        this.memberships = memberships;
        this.profiles = profiles;
        this.tenancy = tenancy;
    }

    /** The rules to evaluate: those in force when the event occurs, or those publishing the drafts would. */
    public enum RuleSet {
        PUBLISHED, DRAFT
    }

    /**
     * The member a dry run is for: a real one (whose tier and tags may be overridden to try them), or a
     * hypothetical one with the given tier and tags.
     */
    public record SampleMember(@Nullable UUID memberId, @Nullable String tier, @Nullable Set<String> tags) {
    }

    /**
     * What the event would earn: base-rate points, then every rule of its event types in evaluation order
     * with its outcome; the event's local date, weekday and time as the rules saw them.
     */
    public record Explanation(UUID programId, RuleSet ruleSet, String eventType, Instant occurredAt, String timeZone,
            LocalDate localDate, String weekday, LocalDateTime localTime, boolean firstOrder, long basePoints,
            long rulePoints, long totalPoints, List<RuleOutcome> rules) {
    }

    @Transactional(readOnly = true)
    public Explanation explain(UUID programId, EarningEvent event, SampleMember sample, RuleSet ruleSet) {
        var program = tenancy.program(programId);
        var profile = profile(programId, sample, event.occurredAt());
        var set = ruleSet == RuleSet.PUBLISHED
            ? versions.inForceAt(programId, event.occurredAt(), event.triggers())
            : versions.draftSet(programId);
        var memberKey = profile.memberId() == null ? UUID.randomUUID() : profile.memberId();
        var evaluation = engine.evaluate(program, event, profile, memberKey, set, new ReadOnlyCounters());
        var local = LocalDateTime.ofInstant(event.occurredAt(), program.timeZone());
        return new Explanation(programId, ruleSet, event.type(), event.occurredAt(), program.timeZone().getId(),
            local.toLocalDate(), local.getDayOfWeek().name(), local, event.firstOrder(), evaluation.basePoints(),
            evaluation.rulePoints(), evaluation.totalPoints(), evaluation.outcomes());
    }

    private MemberProfile profile(UUID programId, SampleMember sample, Instant at) {
        var tags = Optional.ofNullable(sample.tags());
        if (sample.memberId() == null) {
            return new MemberProfile(null, sample.tier(), tags.orElse(Set.of()), null);
        }
        var member = memberships.find(sample.memberId()).filter(found -> found.programId().equals(programId))
            .orElseThrow(() -> new MemberNotFound(sample.memberId().toString()));
        var real = profiles.of(member);
        return new MemberProfile(real.memberId(), sample.tier() != null ? sample.tier() : real.tier(),
            tags.orElse(real.tags()), real.enrolledAt());
    }

    /** The database's counters, read but never written: a dry run's awards are counted only in memory. */
    private final class ReadOnlyCounters implements Counters {

        private final Map<UUID, Long> budgets = new HashMap<>();
        private final Map<String, Usage> usage = new HashMap<>();

        @Override
        public void prepareBudgets(List<UUID> ruleIds) {
            for (var ruleId : ruleIds) {
                budgets.put(ruleId, jdbc.sql("""
                        select budget_spent from earning_rules where tenant_id = :tenant and rule_id = :rule""")
                    .param("tenant", TenantContext.require()).param("rule", ruleId).query(Long.class).single());
            }
        }

        @Override
        public long budgetSpent(UUID ruleId) {
            return budgets.getOrDefault(ruleId, 0L);
        }

        @Override
        public Usage usage(UUID ruleId, UUID memberId, LocalDate periodStart) {
            return usage.computeIfAbsent(ruleId + "/" + memberId + "/" + periodStart, key -> jdbc.sql("""
                    select points, times from earning_rule_usage
                     where tenant_id = :tenant and rule_id = :rule and membership_id = :member
                       and period_start = :start""")
                .param("tenant", TenantContext.require()).param("rule", ruleId).param("member", memberId)
                .param("start", periodStart)
                .query((rs, row) -> new Usage(rs.getLong("points"), rs.getInt("times")))
                .optional().orElse(Usage.NONE));
        }

        @Override
        public void award(RuleVersion version, UUID memberId, LocalDate periodStart, long points) {
            budgets.merge(version.ruleId(), points, Long::sum);
            usage.put(version.ruleId() + "/" + memberId + "/" + periodStart,
                usage(version.ruleId(), memberId, periodStart).plus(points));
        }
    }
}
