package io.pointbridge.exchange.transfer;

import io.pointbridge.exchange.rate.ExchangeRate;
import io.pointbridge.exchange.transfer.TransferFailures.CapExceeded;
import io.pointbridge.tenant.TenantContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Enforces a rate's caps with counters of source points per pair, scope and period (UTC day or month).
 *
 * <p>A transfer adds to each capped counter with one conditional upsert that only succeeds while the sum
 * stays within the cap, so parallel transfers never overshoot it: the row lock makes the second wait and
 * then see the first's sum. Transfers lock their wallets before the counters, and so do reversals, which
 * subtract what their transfer added; uncapped scopes are not counted, so they never queue on a counter.
 */
@Component
class UsageCaps {

    /** The subject of the pair-wide counter. */
    private static final UUID WHOLE_PAIR = new UUID(0, 0);

    private final JdbcClient jdbc;

    UsageCaps(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Which counters a transfer was added to. */
    record Counted(boolean memberDay, boolean memberMonth, boolean pairDay) {
    }

    private enum Scope {
        MEMBER_DAY("perMemberPerDay"), MEMBER_MONTH("perMemberPerMonth"), PAIR_DAY("perPairPerDay");

        final String cap;

        Scope(String cap) {
            this.cap = cap;
        }
    }

    private record Counter(Scope scope, UUID subject, LocalDate period, long cap) {
    }

    /** Refuses, without counting, a conversion that would pass a cap now. */
    void check(ExchangeRate rate, UUID sourceMember, long points, Instant now) {
        for (var counter : counters(rate, sourceMember, now)) {
            long used = used(rate, counter);
            if (used + points > counter.cap()) {
                throw new CapExceeded(counter.scope().cap, counter.cap(), Math.max(0, counter.cap() - used));
            }
        }
    }

    /** Adds the conversion to every capped counter, or refuses it if that would pass a cap. */
    Counted count(ExchangeRate rate, UUID sourceMember, long points, Instant now) {
        var counters = counters(rate, sourceMember, now);
        for (var counter : counters) {
            if (points > counter.cap() || !add(rate, counter, points)) {
                throw new CapExceeded(counter.scope().cap, counter.cap(),
                    Math.max(0, counter.cap() - used(rate, counter)));
            }
        }
        var scopes = counters.stream().map(Counter::scope).toList();
        return new Counted(scopes.contains(Scope.MEMBER_DAY), scopes.contains(Scope.MEMBER_MONTH),
            scopes.contains(Scope.PAIR_DAY));
    }

    /** Subtracts a transfer from the counters it was added to, in the periods it was executed in. */
    void giveBack(Transfer transfer, Counted counted) {
        var day = day(transfer.executedAt());
        if (counted.memberDay()) {
            subtract(transfer, Scope.MEMBER_DAY, transfer.sourceMemberId(), day);
        }
        if (counted.memberMonth()) {
            subtract(transfer, Scope.MEMBER_MONTH, transfer.sourceMemberId(), day.withDayOfMonth(1));
        }
        if (counted.pairDay()) {
            subtract(transfer, Scope.PAIR_DAY, WHOLE_PAIR, day);
        }
    }

    /** The capped counters of a conversion now, member counters first (one fixed order for every writer). */
    private static List<Counter> counters(ExchangeRate rate, UUID sourceMember, Instant now) {
        var day = day(now);
        var counters = new ArrayList<Counter>(3);
        add(counters, Scope.MEMBER_DAY, sourceMember, day, rate.caps().perMemberPerDay());
        add(counters, Scope.MEMBER_MONTH, sourceMember, day.withDayOfMonth(1), rate.caps().perMemberPerMonth());
        add(counters, Scope.PAIR_DAY, WHOLE_PAIR, day, rate.caps().perPairPerDay());
        return counters;
    }

    private static void add(List<Counter> counters, Scope scope, UUID subject, LocalDate period, @Nullable Long cap) {
        if (cap != null) {
            counters.add(new Counter(scope, subject, period, cap));
        }
    }

    private boolean add(ExchangeRate rate, Counter counter, long points) {
        return jdbc.sql("""
                insert into exchange_usage (tenant_id, source_program_id, target_program_id, scope, subject_id,
                                            period_start, used)
                values (:tenant, :source, :target, :scope, :subject, :period, :points)
                on conflict (tenant_id, source_program_id, target_program_id, scope, subject_id, period_start)
                do update set used = exchange_usage.used + excluded.used
                 where exchange_usage.used + excluded.used <= :cap""")
            .param("tenant", TenantContext.require())
            .param("source", rate.sourceProgramId()).param("target", rate.targetProgramId())
            .param("scope", counter.scope().name()).param("subject", counter.subject())
            .param("period", counter.period())
            .param("points", points).param("cap", counter.cap())
            .update() == 1;
    }

    private long used(ExchangeRate rate, Counter counter) {
        return jdbc.sql("""
                select coalesce(max(used), 0) from exchange_usage
                 where tenant_id = :tenant and source_program_id = :source and target_program_id = :target
                   and scope = :scope and subject_id = :subject and period_start = :period""")
            .param("tenant", TenantContext.require())
            .param("source", rate.sourceProgramId()).param("target", rate.targetProgramId())
            .param("scope", counter.scope().name()).param("subject", counter.subject())
            .param("period", counter.period())
            .query(Long.class)
            .single();
    }

    private void subtract(Transfer transfer, Scope scope, UUID subject, LocalDate period) {
        jdbc.sql("""
                update exchange_usage set used = used - :points
                 where tenant_id = :tenant and source_program_id = :source and target_program_id = :target
                   and scope = :scope and subject_id = :subject and period_start = :period""")
            .param("points", transfer.sourcePoints()).param("tenant", TenantContext.require())
            .param("source", transfer.sourceProgramId()).param("target", transfer.targetProgramId())
            .param("scope", scope.name()).param("subject", subject).param("period", period)
            .update();
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
