package io.pointbridge.bench.baseline;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Properties;

/**
 * The same-run baselines for the batch jobs: each job's work done by one set-based SQL statement over the same
 * rows, for all tenants at once, as the superuser (no row-level security, no per-tenant loop, no batches). The
 * statements that write run in a transaction that is rolled back, after the deferred constraint triggers have run
 * ({@code set constraints all immediate}, so the per-entry balance check is paid as at a commit), and the tables
 * are vacuumed afterwards: the product's job then finds the very rows the baseline worked on.
 */
public final class SetBasedBaselines implements AutoCloseable {

    /** Expiry: tenant-core's PointsExpiryJob and Ledger#expire, for every lot past its expiry at the cutoff. */
    private static final String EXPIRY = """
            with due as materialized (
                select l.tenant_id, l.lot_id, l.account_id, l.remaining
                  from lots l
                 where l.remaining > 0 and l.expires_at <= ?),
            wallets as materialized (
                select d.tenant_id, d.account_id, a.program_id, a.membership_id, sum(d.remaining) as points,
                       count(*) as lots, gen_random_uuid() as entry_id
                  from due d
                  join accounts a on a.tenant_id = d.tenant_id and a.account_id = d.account_id
                 group by d.tenant_id, d.account_id, a.program_id, a.membership_id),
            entries as (
                insert into journal_entries (tenant_id, entry_id, kind, memo, actor, created_at)
                select tenant_id, entry_id, 'EXPIRY', 'points expired', 'system:points-jobs', now() from wallets),
            lines as (
                insert into postings (tenant_id, entry_id, line_no, account_id, program_id, amount)
                select w.tenant_id, w.entry_id, 1, w.account_id, w.program_id, -w.points from wallets w
                union all
                select w.tenant_id, w.entry_id, 2, b.account_id, w.program_id, w.points
                  from wallets w
                  join accounts b on b.tenant_id = w.tenant_id and b.program_id = w.program_id and b.kind = 'BREAKAGE'),
            movements as (
                insert into lot_movements (tenant_id, entry_id, lot_id, amount)
                select d.tenant_id, w.entry_id, d.lot_id, -d.remaining
                  from due d
                  join wallets w on w.tenant_id = d.tenant_id and w.account_id = d.account_id),
            emptied as (
                update lots l set remaining = 0
                  from due d
                 where l.tenant_id = d.tenant_id and l.lot_id = d.lot_id),
            balances as (
                update accounts a set balance = a.balance - w.points
                  from wallets w
                 where a.tenant_id = w.tenant_id and a.account_id = w.account_id),
            events as (
                insert into outbox_events (tenant_id, event_id, type, payload)
                select tenant_id, gen_random_uuid(), 'points.expired',
                       jsonb_build_object('memberId', membership_id, 'programId', program_id, 'entryId', entry_id,
                                          'points', points, 'lots', lots, 'expiredAt', now())
                  from wallets),
            runs as (
                insert into points_job_runs (tenant_id, run_id, job, requested_by, cutoff, status, batches, wallets,
                                             lots, points, events, created_at, heartbeat_at, finished_at)
                select tenant_id, gen_random_uuid(), 'points-expiry', 'system:bench-baseline', ?, 'SUCCEEDED', 1,
                       count(*), sum(lots), sum(points), count(*), now(), now(), now()
                  from wallets
                 group by tenant_id)
            select (select count(*) from due), (select count(*) from wallets)""";

    /**
     * Tier evaluation: tenant-core's TierReviews for members due by a reassessment after a scheme change (what the
     * seed leaves due): the counters of the window ending at the reassessment, the highest level they qualify for,
     * and an upgrade (or a renewal in grace) with its tier change and outbox event, or else just the reassessment
     * cleared. Rolling and calendar windows in the scheme's time zone; qualifications of one all/any over "counter
     * at least N" conditions, or a single condition (the seeded schemes' shape; deeper trees are not evaluated).
     */
    private static final String TIERS = """
            with due as materialized (
                select t.tenant_id, t.membership_id, t.program_id, t.level, t.grace_until, t.reassess_at as at,
                       s.window_kind = 'CALENDAR' as calendar, s.window_months, s.time_zone, s.version,
                       case when s.window_kind = 'ROLLING'
                            then ((t.reassess_at at time zone s.time_zone)
                                  - make_interval(months => s.window_months)) at time zone s.time_zone
                            else make_date(extract(year from t.reassess_at at time zone s.time_zone)::int,
                                           (extract(month from t.reassess_at at time zone s.time_zone)::int - 1)
                                               / s.window_months * s.window_months + 1, 1)::timestamp
                                 at time zone s.time_zone end as window_from
                  from member_tiers t
                  join tier_schemes s on s.tenant_id = t.tenant_id and s.program_id = t.program_id
                 where t.due_at <= ? and t.reassess_at = t.due_at),
            counted as materialized (
                select c.tenant_id, c.membership_id, jsonb_object_agg(c.counter, c.total) as counters
                  from (select d.tenant_id, d.membership_id, q.counter, sum(q.amount) as total
                          from due d
                          join qualifying_activity q on q.tenant_id = d.tenant_id and q.membership_id = d.membership_id
                           and (q.occurred_at > d.window_from or (d.calendar and q.occurred_at = d.window_from))
                           and q.occurred_at <= d.at
                         group by d.tenant_id, d.membership_id, q.counter) c
                 group by c.tenant_id, c.membership_id),
            qualified as materialized (
                select d.*, coalesce(c.counters, '{}'::jsonb) as counters,
                       (select max(l.level) from tier_levels l
                         where l.tenant_id = d.tenant_id and l.program_id = d.program_id
                           and (l.qualification is null
                                or ((l.qualification -> 'counter') is not null
                                    and coalesce((c.counters ->> (l.qualification ->> 'counter'))::bigint, 0)
                                        >= (l.qualification ->> 'atLeast')::bigint)
                                or ((l.qualification -> 'all') is not null and not exists (
                                        select from jsonb_array_elements(l.qualification -> 'all') x
                                         where coalesce((c.counters ->> (x ->> 'counter'))::bigint, 0)
                                               < (x ->> 'atLeast')::bigint))
                                or ((l.qualification -> 'any') is not null and exists (
                                        select from jsonb_array_elements(l.qualification -> 'any') x
                                         where coalesce((c.counters ->> (x ->> 'counter'))::bigint, 0)
                                               >= (x ->> 'atLeast')::bigint)))) as reached
                  from due d
                  left join counted c on c.tenant_id = d.tenant_id and c.membership_id = d.membership_id),
            decided as materialized (
                select q.*,
                       case when q.reached > q.level then 'UPGRADED'
                            when q.grace_until is not null and q.reached = q.level then 'RENEWED' end as kind,
                       case when q.calendar
                            then (q.window_from at time zone q.time_zone + make_interval(months => q.window_months))
                                 at time zone q.time_zone
                            else (q.at at time zone q.time_zone + make_interval(months => q.window_months))
                                 at time zone q.time_zone end as next_review
                  from qualified q),
            changed as materialized (
                select * from decided where kind is not null),
            standings as (
                update member_tiers t
                   set level = case when d.kind is null then t.level else d.reached end,
                       since = case when d.kind = 'UPGRADED' then d.at else t.since end,
                       review_at = case when d.kind is null then t.review_at else d.next_review end,
                       grace_until = case when d.kind is null then t.grace_until end,
                       grace_level = case when d.kind is null then t.grace_level end,
                       reassess_at = null, updated_at = now()
                  from decided d
                 where t.tenant_id = d.tenant_id and t.membership_id = d.membership_id),
            history as (
                insert into tier_changes (tenant_id, change_id, membership_id, program_id, kind, reason, from_level,
                                          to_level, from_code, to_code, effective_at, review_at, grace_until,
                                          window_from, window_from_included, window_to, window_to_included, counters,
                                          scheme_version, actor, recorded_at)
                select c.tenant_id, gen_random_uuid(), c.membership_id, c.program_id, c.kind, 'SCHEME_CHANGED', c.level,
                       c.reached, f.code, t.code, c.at, c.next_review, null, c.window_from, c.calendar, c.at, true,
                       c.counters, c.version, 'system:tier-reviews', now()
                  from changed c
                  join tier_levels f on f.tenant_id = c.tenant_id and f.program_id = c.program_id and f.level = c.level
                  join tier_levels t on t.tenant_id = c.tenant_id and t.program_id = c.program_id and t.level = c.reached),
            events as (
                insert into outbox_events (tenant_id, event_id, type, payload)
                select tenant_id, gen_random_uuid(), 'tier.' || lower(kind),
                       jsonb_build_object('membershipId', membership_id, 'programId', program_id, 'from', level,
                                          'to', reached, 'at', at, 'counters', counters)
                  from changed)
            select (select count(*) from due), (select count(*) from changed)""";

    /** Settlement: points-exchange's Settlements#statement, the pair lines of every tenant's statement at once. */
    private static final String SETTLEMENT = """
            select count(*), coalesce(sum(records), 0)
              from (select tenant_id, payer_brand_id, payee_brand_id,
                           count(*) filter (where kind = 'TRANSFER') as transfers,
                           count(*) filter (where kind = 'REVERSAL') as reversals,
                           count(*) as records, sum(amount_minor) as amount
                      from settlement_records
                     where recorded_at >= ? and recorded_at < ?
                       and (cast(? as text) is null or tenant_id = (select tenant_id from tenants where slug = ?))
                     group by tenant_id, payer_brand_id, payee_brand_id) lines""";

    private final Connection db;

    /** Connects to the benchmark database as {@code postgres}, unless the URL names another user. */
    public SetBasedBaselines(String jdbcUrl) throws SQLException {
        var properties = new Properties();
        if (!jdbcUrl.contains("user=")) {
            properties.setProperty("user", "postgres");
        }
        properties.setProperty("ApplicationName", "pointbridge-bench-baseline");
        this.db = DriverManager.getConnection(jdbcUrl, properties);
    }

    /**
     * A baseline's result: {@code rows} the job works on (lots expired, members evaluated, settlement records
     * summed) and {@code items} it produced (wallets' expiry entries, tier changes, statement lines).
     */
    public record Result(String job, long rows, long items, Duration elapsed) {

        public double rowsPerSecond() {
            return rows / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }

        public String describe() {
            return String.format(Locale.ROOT, "%s (one SQL statement): %,d rows, %,d %s in %.2f s = %,.0f rows/s", job,
                rows, items, switch (job) {
                    case "expiry" -> "expiry entries";
                    case "tier evaluation" -> "tier changes";
                    default -> "statement lines";
                }, elapsed.toNanos() / 1e9, rowsPerSecond());
        }
    }

    /** Expires every lot past its expiry at {@code cutoff}, then rolls back. */
    public Result expiry(Instant cutoff) throws SQLException {
        var result = rolledBack("expiry", EXPIRY, cutoff.atOffset(ZoneOffset.UTC), cutoff.atOffset(ZoneOffset.UTC));
        vacuum("lots", "accounts", "journal_entries", "postings", "lot_movements", "outbox_events", "points_job_runs");
        return result;
    }

    /** Evaluates every member whose reassessment is due at {@code asOf}, then rolls back. */
    public Result tierEvaluation(Instant asOf) throws SQLException {
        var result = rolledBack("tier evaluation", TIERS, asOf.atOffset(ZoneOffset.UTC));
        vacuum("member_tiers", "tier_changes", "outbox_events");
        return result;
    }

    /** Sums the settlement records of [{@code from}, {@code to}) (UTC days) into every tenant's statement lines. */
    public Result settlement(LocalDate from, LocalDate to) throws SQLException {
        return settlement(from, to, null);
    }

    /** The same for the tenant with that slug only, or for every tenant when it is null. */
    public Result settlement(LocalDate from, LocalDate to, String tenantSlug) throws SQLException {
        long started = System.nanoTime();
        try (var statement = db.prepareStatement(SETTLEMENT)) {
            statement.setObject(1, from.atStartOfDay().atOffset(ZoneOffset.UTC));
            statement.setObject(2, to.atStartOfDay().atOffset(ZoneOffset.UTC));
            statement.setString(3, tenantSlug);
            statement.setString(4, tenantSlug);
            try (var result = statement.executeQuery()) {
                result.next();
                return new Result("settlement", result.getLong(2), result.getLong(1),
                    Duration.ofNanos(System.nanoTime() - started));
            }
        }
    }

    /**
     * Runs the three baselines alone: {@code --jdbc-url URL [--from YYYY-MM-DD --to YYYY-MM-DD]} (settlement over
     * the last 30 days by default).
     */
    public static void main(String[] args) throws SQLException {
        String url = null;
        var to = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        var from = to.minusDays(31);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jdbc-url" -> url = args[++i];
                case "--from" -> from = LocalDate.parse(args[++i]);
                case "--to" -> to = LocalDate.parse(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--jdbc-url is required");
        }
        try (var baselines = new SetBasedBaselines(url)) {
            var now = Instant.now();
            System.out.println(baselines.expiry(now).describe());
            System.out.println(baselines.tierEvaluation(now).describe());
            System.out.println(baselines.settlement(from, to).describe());
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }

    private Result rolledBack(String job, String sql, Object... parameters) throws SQLException {
        db.setAutoCommit(false);
        try (var statement = db.prepareStatement(sql)) {
            try (var settings = db.createStatement()) {
                settings.execute("set local work_mem = '256MB'");
            }
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            long started = System.nanoTime();
            long rows;
            long items;
            try (var result = statement.executeQuery()) {
                result.next();
                rows = result.getLong(1);
                items = result.getLong(2);
            }
            try (var constraints = db.createStatement()) {
                constraints.execute("set constraints all immediate");
            }
            var elapsed = Duration.ofNanos(System.nanoTime() - started);
            return new Result(job, rows, items, elapsed);
        } finally {
            db.rollback();
            db.setAutoCommit(true);
        }
    }

    private void vacuum(String... tables) throws SQLException {
        try (var statement = db.createStatement()) {
            statement.execute("vacuum (analyze) " + String.join(", ", tables));
        }
    }
}
