package io.pointbridge.tenant.insight;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.insight.PointValuation.PointValue;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A program's points economy per period, read from the journal in one snapshot.
 *
 * <p>Every figure is what the program's system accounts received or gave in the period, so that the figures
 * reconcile exactly with the liability (the sum of the program's wallets): closing = opening + issued − reclaimed
 * − (redeemed − returned) − expired − (exchangedOut − exchangedIn) − other. Issued are the points wallets got
 * from the issuance and adjustment accounts (earns, bonuses, referral rewards, manual credits); reclaimed what
 * went back there (refunds, manual debits, reversed earns); redeemed what went to the redemption account
 * (spends and reward redemptions), returned what came back from it (cancelled redemptions, reversed spends);
 * expired what went to breakage; exchanged what went to or came from other programs, fees included. Kinds of
 * accounts added later land in {@code other}, so the reconciliation never breaks.
 *
 * <p>The redemption rate of a period is (redeemed − returned) / (issued − reclaimed), to four decimals, and
 * absent when nothing was issued net. Periods are calendar days, ISO weeks or months in UTC.
 */
@Service
public class ProgramInsights {

    /** The most periods one report covers (more than a year of days). */
    public static final int MAX_PERIODS = 400;
    private static final int DEFAULT_PERIODS = 12;

    private final JdbcClient jdbc;
    private final TenantManagement tenancy;
    private final ObjectProvider<PointValuation> valuation;
    private final Clock clock;

    ProgramInsights(JdbcClient jdbc, TenantManagement tenancy, ObjectProvider<PointValuation> valuation, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.valuation = valuation;
        this.clock = clock;
    }

    /** A report: the periods from {@code from} (inclusive) to {@code to} (exclusive), and their totals. */
    public record Insight(UUID programId, String pointsName, Granularity period, LocalDate from, LocalDate to,
            Figures totals, List<Figures> periods) {
    }

    /**
     * The figures of one period, or of the whole report.
     *
     * @param liabilityOpening the points in the program's wallets when the period began
     * @param liabilityClosing the points in them when it ended (or now, for a period not over yet)
     * @param liabilityValue   what the closing liability is worth, where the point has a value
     */
    public record Figures(LocalDate start, LocalDate end, long issued, long reclaimed, long redeemed, long returned,
            long expired, long exchangedOut, long exchangedIn, long other, @Nullable BigDecimal redemptionRate,
            long liabilityOpening, long liabilityClosing, @Nullable LiabilityValue liabilityValue) {
    }

    /** A liability in money: points times the point's value then, rounded down to the currency's minor unit. */
    public record LiabilityValue(BigDecimal amount, String currency, BigDecimal pointValue) {
    }

    /**
     * The program's figures per period. {@code from} and {@code to} are widened to whole periods; left out, the
     * report covers the current period and the eleven before it.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Insight of(UUID programId, Granularity granularity, @Nullable LocalDate from, @Nullable LocalDate to) {
        var program = tenancy.program(programId);
        var today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        var end = to == null ? granularity.next(granularity.start(today))
            : granularity.start(to).equals(to) ? to : granularity.next(granularity.start(to));
        var start = from == null ? granularity.back(end, DEFAULT_PERIODS) : granularity.start(from);
        if (!start.isBefore(end)) {
            throw new InvalidRequest("to", "must be after from");
        }
        var starts = new ArrayList<LocalDate>();
        for (var period = start; period.isBefore(end); period = granularity.next(period)) {
            if (starts.size() == MAX_PERIODS) {
                throw new InvalidRequest("to", "a report covers at most " + MAX_PERIODS + " periods");
            }
            starts.add(period);
        }
        var tenant = TenantContext.require();
        long opening = jdbc.sql("""
                select coalesce(-sum(p.amount), 0) from accounts a
                  join postings p on p.tenant_id = a.tenant_id and p.account_id = a.account_id
                  join journal_entries e on e.tenant_id = p.tenant_id and e.entry_id = p.entry_id
                 where a.tenant_id = :tenant and a.program_id = :program and a.kind <> 'WALLET'
                   and e.created_at < :from""")
            .param("tenant", tenant).param("program", programId).param("from", midnight(start))
            .query(Long.class).single();
        var moves = new HashMap<LocalDate, Moves>();
        jdbc.sql("""
                select cast(date_trunc(:unit, e.created_at at time zone 'UTC') as date) as period, a.kind,
                       coalesce(sum(p.amount) filter (where p.amount > 0), 0) as received,
                       coalesce(-sum(p.amount) filter (where p.amount < 0), 0) as given
                  from accounts a
                  join postings p on p.tenant_id = a.tenant_id and p.account_id = a.account_id
                  join journal_entries e on e.tenant_id = p.tenant_id and e.entry_id = p.entry_id
                 where a.tenant_id = :tenant and a.program_id = :program and a.kind <> 'WALLET'
                   and e.created_at >= :from and e.created_at < :to
                 group by 1, 2""")
            .param("unit", granularity.unit()).param("tenant", tenant).param("program", programId)
            .param("from", midnight(start)).param("to", midnight(end))
            .query(rs -> {
                moves.computeIfAbsent(rs.getObject("period", LocalDate.class), period -> new Moves())
                    .add(rs.getString("kind"), rs.getLong("received"), rs.getLong("given"));
            });
        var values = valuation.getIfAvailable(() -> PointValuation.NONE);
        var periods = new ArrayList<Figures>();
        var total = new Moves();
        long liability = opening;
        for (var period : starts) {
            var periodMoves = moves.getOrDefault(period, new Moves());
            var next = granularity.next(period);
            periods.add(periodMoves.figures(period, next, liability, value(values, programId, next)));
            liability += periodMoves.change();
            total.add(periodMoves);
        }
        return new Insight(programId, program.pointsName(), granularity, start, end,
            total.figures(start, end, opening, value(values, programId, end)), periods);
    }

    /** The valuation at the end of a period, or now for a period not over yet. */
    private Valuation value(PointValuation values, UUID programId, LocalDate end) {
        var now = clock.instant();
        var at = midnight(end).toInstant();
        return points -> values.valueAt(programId, at.isAfter(now) ? now : at).map(value -> worth(points, value))
            .orElse(null);
    }

    private static LiabilityValue worth(long points, PointValue value) {
        var digits = Math.max(value.currency().getDefaultFractionDigits(), 0);
        var amount = value.perPoint().multiply(BigDecimal.valueOf(points)).setScale(digits, RoundingMode.DOWN);
        return new LiabilityValue(amount, value.currency().getCurrencyCode(), value.perPoint());
    }

    private static OffsetDateTime midnight(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    @FunctionalInterface
    private interface Valuation {
        @Nullable LiabilityValue of(long points);
    }

    /** What a program's system accounts received from and gave to its wallets in a period, by kind. */
    private static final class Moves {

        private long issued;
        private long reclaimed;
        private long redeemed;
        private long returned;
        private long expired;
        private long exchangedOut;
        private long exchangedIn;
        private long other;

        void add(String kind, long received, long given) {
            // By name, not AccountKind: a kind another feature adds lands in other instead of failing the report.
            switch (kind) {
                case "ISSUANCE", "ADJUSTMENT" -> {
                    issued += given;
                    reclaimed += received;
                }
                case "REDEMPTION" -> {
                    redeemed += received;
                    returned += given;
                }
                case "BREAKAGE" -> expired += received - given;
                case "EXCHANGE_CLEARING", "EXCHANGE_FEE" -> {
                    exchangedOut += received;
                    exchangedIn += given;
                }
                default -> other += received - given;
            }
        }

        void add(Moves more) {
            issued += more.issued;
            reclaimed += more.reclaimed;
            redeemed += more.redeemed;
            returned += more.returned;
            expired += more.expired;
            exchangedOut += more.exchangedOut;
            exchangedIn += more.exchangedIn;
            other += more.other;
        }

        /** How much the program's wallets gained (or lost, when negative) in all. */
        long change() {
            return issued - reclaimed - (redeemed - returned) - expired - (exchangedOut - exchangedIn) - other;
        }

        Figures figures(LocalDate start, LocalDate end, long opening, Valuation valuation) {
            long netIssued = issued - reclaimed;
            var rate = netIssued <= 0 ? null : BigDecimal.valueOf(redeemed - returned)
                .divide(BigDecimal.valueOf(netIssued), 4, RoundingMode.HALF_EVEN);
            long closing = opening + change();
            return new Figures(start, end, issued, reclaimed, redeemed, returned, expired, exchangedOut, exchangedIn,
                other, rate, opening, closing, valuation.of(closing));
        }
    }
}
