package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.rule.RuleFailures.BacktestTooLarge;
import io.pointbridge.tenant.tenancy.Program;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays a past period of a program's real events (purchases, first orders among them, members' reported
 * events, enrolments) against the published rules and against the draft set, and reports what would have
 * been issued under each, without writing anything.
 *
 * <p>Both sets are replayed as if in force over the whole period (each rule's campaign window still
 * applies), each with its own caps and budgets starting from nothing, so the comparison isolates the
 * drafts' effect. Members are evaluated as they are now (today no member has a tier or tags).
 */
@Service
public class Backtests {

    public static final int MAX_EVENTS = 100_000;
    public static final Duration MAX_PERIOD = Duration.ofDays(366);

    private final JdbcClient jdbc;
    private final RuleVersions versions;
    private final EarningEngine engine;
    private final MemberProfiles profiles;
    private final TenantManagement tenancy;
    private final JsonMapper json;

    Backtests(JdbcClient jdbc, RuleVersions versions, EarningEngine engine, MemberProfiles profiles,
            TenantManagement tenancy, JsonMapper json) {
        this.jdbc = jdbc;
        this.versions = versions;
        this.engine = engine;
        this.profiles = profiles;
        this.tenancy = tenancy;
        this.json = json;
    }

    /**
     * The backtest of a period {@code [from, to)}.
     *
     * @param actuallyIssued   what these events really earned when they happened
     * @param draftFingerprint names the drafts replayed; publishing with it refuses if they changed since
     */
    public record Report(UUID programId, Instant from, Instant to, Replayed replayed, SetResult published,
            SetResult draft, long difference, Liability liability, MembersAffected membersAffected, long actuallyIssued,
            int drafts, String draftFingerprint) {
    }

    public record Replayed(long purchases, long firstOrders, long memberEvents, long enrolments) {
    }

    /** Points a rule set would have issued: at the base rate, and by each rule. */
    public record SetResult(long pointsIssued, long basePoints, long rulePoints, List<RuleTotal> byRule) {
    }

    public record RuleTotal(UUID ruleId, int version, String name, long awards, long points) {
    }

    /**
     * Outstanding points (the sum of the program's wallets) now, and what they would be had the draft set been
     * in force over the period instead of the published one (spends and expiry aside).
     */
    public record Liability(long outstandingNow, long projected) {
    }

    /** Members whose points would differ, and how, per tier; {@code tier} is absent for members without one. */
    public record MembersAffected(long total, long gaining, long losing, List<TierImpact> byTier) {
    }

    public record TierImpact(@Nullable String tier, long members, long gaining, long losing, long pointsDifference) {
    }

    @Transactional(readOnly = true)
    public Report run(UUID programId, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new InvalidRequest("to", "must be after from");
        }
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw new InvalidRequest("to", "must be at most " + MAX_PERIOD.toDays() + " days after from");
        }
        var program = tenancy.program(programId);
        long count = count(programId, from, to);
        if (count > MAX_EVENTS) {
            throw new BacktestTooLarge(count, MAX_EVENTS);
        }
        var drafts = versions.drafts(programId);
        var published = versions.published(programId);
        var draftSet = versions.draftSet(programId);
        var events = events(program, from, to);

        var publishedRun = new Run(program, published);
        var draftRun = new Run(program, draftSet);
        var members = new HashMap<UUID, MemberProfile>();
        for (var event : events) {
            var profile = members.computeIfAbsent(event.memberId(), id -> profiles.of(id, event.enrolledAt()));
            publishedRun.replay(event, profile);
            draftRun.replay(event, profile);
        }

        // Members without a tier sort first, under the null key.
        var byTier = new TreeMap<String, TierImpact>(Comparator.nullsFirst(Comparator.naturalOrder()));
        long gaining = 0;
        long losing = 0;
        for (var member : members.entrySet()) {
            long delta = draftRun.byMember.getOrDefault(member.getKey(), 0L)
                - publishedRun.byMember.getOrDefault(member.getKey(), 0L);
            if (delta == 0) {
                continue;
            }
            var tier = member.getValue().tier();
            var impact = byTier.getOrDefault(tier, new TierImpact(tier, 0, 0, 0, 0));
            byTier.put(tier, new TierImpact(tier, impact.members() + 1, impact.gaining() + (delta > 0 ? 1 : 0),
                impact.losing() + (delta < 0 ? 1 : 0), impact.pointsDifference() + delta));
            if (delta > 0) {
                gaining++;
            } else {
                losing++;
            }
        }
        var impacts = List.copyOf(byTier.values());
        long difference = draftRun.total() - publishedRun.total();
        long outstanding = outstanding(programId);
        return new Report(programId, from, to, new Replayed(
                events.stream().filter(event -> EventTypes.PURCHASE.equals(event.event().type())).count(),
                events.stream().filter(event -> event.event().firstOrder()).count(),
                events.stream().filter(event -> event.source() == Earnings.Source.EVENT).count(),
                events.stream().filter(event -> event.source() == Earnings.Source.ENROLMENT).count()),
            publishedRun.result(), draftRun.result(), difference, new Liability(outstanding, outstanding + difference),
            new MembersAffected(gaining + losing, gaining, losing, impacts),
            events.stream().mapToLong(PastEvent::actuallyEarned).sum(), drafts.size(),
            EarningRules.fingerprint(drafts));
    }

    /** One rule set's replay: its own counters, and its totals by member and by rule. */
    private final class Run {

        private final Program program;
        private final List<RuleVersion> set;
        private final InMemoryCounters counters = new InMemoryCounters();
        private final Map<UUID, Long> byMember = new HashMap<>();
        private final Map<String, RuleTotal> byRule = new LinkedHashMap<>();
        private long base;
        private long rules;

        Run(Program program, List<RuleVersion> set) {
            this.program = program;
            this.set = set;
            set.stream().sorted(Comparator.comparingInt((RuleVersion version) -> version.definition().priority())
                    .thenComparing(RuleVersion::ruleId))
                .forEach(version -> byRule.put(key(version), new RuleTotal(version.ruleId(), version.version(),
                    version.definition().name(), 0, 0)));
        }

        void replay(PastEvent past, MemberProfile profile) {
            var evaluation = engine.evaluate(program, past.event(), profile, past.memberId(), set, counters);
            base += evaluation.basePoints();
            rules += evaluation.rulePoints();
            byMember.merge(past.memberId(), evaluation.totalPoints(), Long::sum);
            for (var award : evaluation.awards()) {
                byRule.computeIfPresent(award.ruleId() + ":" + award.version(), (key, total) -> new RuleTotal(
                    total.ruleId(), total.version(), total.name(), total.awards() + 1,
                    total.points() + award.points()));
            }
        }

        long total() {
            return base + rules;
        }

        SetResult result() {
            return new SetResult(total(), base, rules, List.copyOf(byRule.values()));
        }

        private static String key(RuleVersion version) {
            return version.ruleId() + ":" + version.version();
        }
    }

    /** Counters that start from nothing and live as long as one replay. */
    private static final class InMemoryCounters implements Counters {

        private final Map<UUID, Long> budgets = new HashMap<>();
        private final Map<String, Usage> usage = new HashMap<>();

        @Override
        public void prepareBudgets(List<UUID> ruleIds) {
            // Nothing to lock: one replay runs on one thread.
        }

        @Override
        public long budgetSpent(UUID ruleId) {
            return budgets.getOrDefault(ruleId, 0L);
        }

        @Override
        public Usage usage(UUID ruleId, UUID memberId, LocalDate periodStart) {
            return usage.getOrDefault(ruleId + "/" + memberId + "/" + periodStart, Usage.NONE);
        }

        @Override
        public void award(RuleVersion version, UUID memberId, LocalDate periodStart, long points) {
            budgets.merge(version.ruleId(), points, Long::sum);
            usage.put(version.ruleId() + "/" + memberId + "/" + periodStart,
                usage(version.ruleId(), memberId, periodStart).plus(points));
        }
    }

    private record PastEvent(UUID memberId, Instant enrolledAt, EarningEvent event, Earnings.Source source,
            long actuallyEarned) {
    }

    private long count(UUID programId, Instant from, Instant to) {
        return jdbc.sql("""
                select (select count(*) from purchases where tenant_id = :tenant and program_id = :program
                           and purchased_at >= :from and purchased_at < :to)
                     + (select count(*) from member_events where tenant_id = :tenant and program_id = :program
                           and occurred_at >= :from and occurred_at < :to)
                     + (select count(*) from memberships where tenant_id = :tenant and program_id = :program
                           and enrolled_at >= :from and enrolled_at < :to)""")
            .param("tenant", TenantContext.require()).param("program", programId)
            .param("from", RuleVersions.at(from)).param("to", RuleVersions.at(to))
            .query(Long.class).single();
    }

    /** The period's events in the order they happened. */
    private List<PastEvent> events(Program program, Instant from, Instant to) {
        var tenant = TenantContext.require();
        var events = new ArrayList<PastEvent>();
        jdbc.sql("""
                select p.membership_id, m.enrolled_at, p.order_id, p.currency, p.amount_minor, p.lines, p.channel,
                       p.store, p.purchased_at, p.points_earned,
                       not exists (select 1 from purchases e
                                    where e.tenant_id = p.tenant_id and e.membership_id = p.membership_id
                                      and (e.purchased_at, e.purchase_id) < (p.purchased_at, p.purchase_id))
                       as first_order
                  from purchases p
                  join memberships m on m.tenant_id = p.tenant_id and m.membership_id = p.membership_id
                 where p.tenant_id = :tenant and p.program_id = :program
                   and p.purchased_at >= :from and p.purchased_at < :to""")
            .param("tenant", tenant).param("program", program.id())
            .param("from", RuleVersions.at(from)).param("to", RuleVersions.at(to))
            .query((rs, row) -> new PastEvent(rs.getObject("membership_id", UUID.class),
                rs.getObject("enrolled_at", OffsetDateTime.class).toInstant(),
                EarningEvent.purchase(rs.getObject("purchased_at", OffsetDateTime.class).toInstant(),
                    rs.getLong("amount_minor"), Currency.getInstance(rs.getString("currency")), rs.getString("channel"),
                    rs.getString("store"), rs.getString("order_id"), lines(rs.getString("lines")))
                    .asFirstOrder(rs.getBoolean("first_order")),
                Earnings.Source.PURCHASE, rs.getLong("points_earned")))
            .list()
            .forEach(events::add);
        jdbc.sql("""
                select e.membership_id, m.enrolled_at, e.type, e.reference, e.occurred_at, e.attributes, e.points_earned
                  from member_events e
                  join memberships m on m.tenant_id = e.tenant_id and m.membership_id = e.membership_id
                 where e.tenant_id = :tenant and e.program_id = :program
                   and e.occurred_at >= :from and e.occurred_at < :to""")
            .param("tenant", tenant).param("program", program.id())
            .param("from", RuleVersions.at(from)).param("to", RuleVersions.at(to))
            .query((rs, row) -> new PastEvent(rs.getObject("membership_id", UUID.class),
                rs.getObject("enrolled_at", OffsetDateTime.class).toInstant(),
                EarningEvent.of(rs.getString("type"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                    rs.getString("reference"),
                    EventAttributes.normalise("attributes", attributes(rs.getString("attributes")))),
                Earnings.Source.EVENT, rs.getLong("points_earned")))
            .list()
            .forEach(events::add);
        jdbc.sql("""
                select m.membership_id, m.enrolled_at,
                       coalesce((select sum(a.points) from earning_rule_awards a
                                  where a.tenant_id = m.tenant_id and a.source = 'ENROLMENT'
                                    and a.source_id = m.membership_id), 0) as earned
                  from memberships m
                 where m.tenant_id = :tenant and m.program_id = :program
                   and m.enrolled_at >= :from and m.enrolled_at < :to""")
            .param("tenant", tenant).param("program", program.id())
            .param("from", RuleVersions.at(from)).param("to", RuleVersions.at(to))
            .query((rs, row) -> {
                var enrolled = rs.getObject("enrolled_at", OffsetDateTime.class).toInstant();
                return new PastEvent(rs.getObject("membership_id", UUID.class), enrolled,
                    EarningEvent.of(EventTypes.REGISTRATION, enrolled, null, Map.of()), Earnings.Source.ENROLMENT,
                    rs.getLong("earned"));
            })
            .list()
            .forEach(events::add);
        events.sort(Comparator.comparing((PastEvent event) -> event.event().occurredAt())
            .thenComparing(event -> event.source() != Earnings.Source.ENROLMENT));
        return events;
    }

    private List<EarningEvent.Line> lines(@Nullable String stored) {
        return stored == null ? List.of() : json.readValue(stored, new TypeReference<List<EarningEvent.Line>>() { });
    }

    private Map<String, Object> attributes(String stored) {
        return json.readValue(stored, new TypeReference<Map<String, Object>>() { });
    }

    private long outstanding(UUID programId) {
        return jdbc.sql("""
                select coalesce(sum(balance), 0) from accounts
                 where tenant_id = :tenant and program_id = :program and kind = 'WALLET'""")
            .param("tenant", TenantContext.require()).param("program", programId)
            .query(Long.class).single();
    }
}
