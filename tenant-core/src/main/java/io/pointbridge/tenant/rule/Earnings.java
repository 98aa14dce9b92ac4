package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.tenancy.PointsPolicies;
import io.pointbridge.tenant.tenancy.Program;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Earns a member's points for an event as it happens: the program's base rate for a purchase, plus what
 * the rules in force when the event occurred award, credited as one journal entry (one lot) and recorded
 * rule by rule.
 *
 * <p>When rules apply, one member's events take turns (a transaction-scoped lock per membership), so that
 * cap usage and "first order" are read and updated without races; campaign budgets are locked in rule id
 * order before any award, and an award is counted against its budget with a conditional update, so a
 * budget is never overspent by concurrent events. Lock order: member, budgets, wallet.
 */
@Service
public class Earnings {

    /** The actor of points earned without a request, e.g. on enrolment. */
    public static final String ACTOR = "system:earning-rules";

    private final JdbcClient jdbc;
    private final RuleVersions versions;
    private final EarningEngine engine;
    private final Ledger ledger;
    private final MemberProfiles profiles;
    private final RuleMetrics metrics;
    private final Clock clock;
    private final PointsPolicies policies;

    Earnings(JdbcClient jdbc, RuleVersions versions, EarningEngine engine, Ledger ledger, MemberProfiles profiles,
            RuleMetrics metrics, Clock clock, PointsPolicies policies) {
        this.jdbc = jdbc;
        this.versions = versions;
        this.engine = engine;
        this.ledger = ledger;
        this.profiles = profiles;
        this.metrics = metrics;
        this.clock = clock;
        this.policies = policies;
    }

    /** What an event is recorded under, for the awards it earned. */
    public enum Source {
        PURCHASE, EVENT, ENROLMENT
    }

    /**
     * The points an event earned: {@code points} in total, of which {@code basePoints} at the base rate and
     * the rest from {@code awards}; the entry that credited them (none if nothing was earned) and the wallet
     * balance after it (null when nothing was credited).
     */
    public record Earned(long points, long basePoints, @Nullable UUID entryId, @Nullable Long balanceAfter,
            List<RuleAward> awards) {
    }

    /** Points one rule version awarded; {@code note} says why fewer than it computed, e.g. a cap. */
    public record RuleAward(UUID ruleId, int version, String name, long points, @Nullable String note) {
    }

    /**
     * Evaluates the event against the rules in force when it occurred and credits what it earned.
     *
     * @param sourceId  the purchase, member event or membership the points are for
     * @param reference the journal entry's reference (an order id, an event reference)
     */
    @Transactional
    public Earned earn(Membership member, Program program, EarningEvent event, Source source, UUID sourceId,
            @Nullable String reference, String memo, String actor) {
        return earn(member, program, event, source, sourceId, reference, memo, actor, BigDecimal.ONE);
    }

    /** As above, with the base rate multiplied (e.g. by the member's tier) before the rules apply. */
    @Transactional
    public Earned earn(Membership member, Program program, EarningEvent event, Source source, UUID sourceId,
            @Nullable String reference, String memo, String actor, BigDecimal baseMultiplier) {
        var candidates = versions.inForceAt(program.id(), event.occurredAt(), types(event));
        if (!candidates.isEmpty()) {
            jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "earning/" + TenantContext.require() + "/" + member.id())
                .query(Object.class).single();
            if (EventTypes.PURCHASE.equals(event.type())) {
                event = event.asFirstOrder(isFirstOrder(member.id()));
            }
        }
        var evaluation = engine.evaluate(program, event, profiles.of(member), member.id(), candidates,
            new LiveCounters(), baseMultiplier);
        long points = evaluation.totalPoints();
        UUID entry = null;
        Long balance = null;
        if (points > 0) {
            // The program's points policy: its expiry for every earn, its returns window (pending) for purchases.
            var terms = policies.termsFor(program.id(), clock.instant());
            var posted = ledger.credit(new Credit(member.id(), points, EntryKind.EARN, AccountKind.ISSUANCE, reference,
                memo, actor, terms.expiresAt(), source == Source.PURCHASE ? terms.availableAt() : null));
            entry = posted.entryId();
            balance = posted.balanceAfter();
        }
        var now = clock.instant();
        for (var award : evaluation.awards()) {
            jdbc.sql("""
                    insert into earning_rule_awards (tenant_id, award_id, rule_id, version, membership_id, entry_id,
                                                     source, source_id, points, awarded_at)
                    values (:tenant, :id, :rule, :version, :member, :entry, :source, :sourceId, :points, :now)""")
                .param("tenant", TenantContext.require()).param("id", UUID.randomUUID()).param("rule", award.ruleId())
                .param("version", award.version()).param("member", member.id()).param("entry", entry)
                .param("source", source.name()).param("sourceId", sourceId).param("points", award.points())
                .param("now", RuleVersions.at(now))
                .update();
        }
        metrics.evaluated(evaluation.outcomes());
        return new Earned(points, evaluation.basePoints(), entry, balance, awards(evaluation.awards()));
    }

    static List<RuleAward> awards(List<RuleOutcome> awards) {
        return awards.stream()
            .map(award -> new RuleAward(award.ruleId(), award.version(), award.name(), award.points(), award.reason()))
            .toList();
    }

    private static List<String> types(EarningEvent event) {
        return EventTypes.PURCHASE.equals(event.type()) ? List.of(EventTypes.PURCHASE, EventTypes.FIRST_ORDER)
            : List.of(event.type());
    }

    private boolean isFirstOrder(UUID memberId) {
        return !jdbc.sql("""
                select exists (select 1 from purchases where tenant_id = :tenant and membership_id = :member)""")
            .param("tenant", TenantContext.require()).param("member", memberId)
            .query(Boolean.class).single();
    }

    /** Counters in the database, read and written in the earning transaction. */
    private final class LiveCounters implements Counters {

        private final Map<UUID, Long> budgets = new HashMap<>();

        @Override
        public void prepareBudgets(List<UUID> ruleIds) {
            for (var ruleId : ruleIds) {
                budgets.put(ruleId, jdbc.sql("""
                        select budget_spent from earning_rules
                         where tenant_id = :tenant and rule_id = :rule for update""")
                    .param("tenant", TenantContext.require()).param("rule", ruleId)
                    .query(Long.class).single());
            }
        }

        @Override
        public long budgetSpent(UUID ruleId) {
            var spent = budgets.get(ruleId);
            if (spent == null) {
                throw new IllegalStateException("budget of rule " + ruleId + " read before it was locked");
            }
            return spent;
        }

        @Override
        public Usage usage(UUID ruleId, UUID memberId, LocalDate periodStart) {
            return jdbc.sql("""
                    select points, times from earning_rule_usage
                     where tenant_id = :tenant and rule_id = :rule and membership_id = :member
                       and period_start = :start""")
                .param("tenant", TenantContext.require()).param("rule", ruleId).param("member", memberId)
                .param("start", periodStart)
                .query((rs, row) -> new Usage(rs.getLong("points"), rs.getInt("times")))
                .optional().orElse(Usage.NONE);
        }

        @Override
        public void award(RuleVersion version, UUID memberId, LocalDate periodStart, long points) {
            var tenant = TenantContext.require();
            var budget = version.definition().budget();
            if (budget != null) {
                // The budget row is locked already; the condition keeps the invariant even if it were not.
                int counted = jdbc.sql("""
                        update earning_rules set budget_spent = budget_spent + :points
                         where tenant_id = :tenant and rule_id = :rule and budget_spent + :points <= :budget""")
                    .param("points", points).param("tenant", tenant).param("rule", version.ruleId())
                    .param("budget", budget)
                    .update();
                if (counted != 1) {
                    throw new IllegalStateException("budget of rule " + version.ruleId() + " cannot take " + points
                        + " points");
                }
                budgets.merge(version.ruleId(), points, Long::sum);
            }
            if (version.definition().cap() != null) {
                jdbc.sql("""
                        insert into earning_rule_usage (tenant_id, rule_id, membership_id, period_start, points, times)
                        values (:tenant, :rule, :member, :start, :points, 1)
                        on conflict (tenant_id, rule_id, membership_id, period_start)
                        do update set points = earning_rule_usage.points + excluded.points,
                                      times = earning_rule_usage.times + 1""")
                    .param("tenant", tenant).param("rule", version.ruleId()).param("member", memberId)
                    .param("start", periodStart).param("points", points)
                    .update();
            }
        }
    }
}
