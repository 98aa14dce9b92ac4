package io.pointbridge.bench.seed;

import io.pointbridge.bench.seed.Histories.History;
import io.pointbridge.bench.seed.World.SystemAccount;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * Fills a benchmark database with a realistic data set at scale (issue 6). The database's schema is the one the
 * application's Flyway migrations made, and it holds no data yet. The seeder connects as the superuser and writes
 * in the schema's dependency order: tenants, brands and programs with their system accounts, API keys, exchange
 * rates, point values and tier schemes (plain inserts: a few rows); then, streamed through binary COPY, persons,
 * memberships and their wallets, journal entries, postings, lots, lot movements, purchases and transfers; then,
 * set-based from those, exchange quotes, settlement records, exchange usage, tier activity and members' tiers.
 *
 * <p>Speed: COPY runs with triggers off ({@code session_replication_role = replica}: no foreign key checks, no
 * deferred balance check per entry) and the tables' secondary indexes dropped and built again at the end. In
 * exchange, every invariant of the ledger is checked afterwards, set-based, over the whole database
 * ({@link Invariants}), and the run fails if one is broken. Then VACUUM ANALYZE, so the benchmark starts from
 * the statistics and visibility map a database in service has.
 *
 * <p>Persons are seeded without personal data: no name, email, phone or consent, only the brands' customer
 * numbers (external ids). Nothing in the benchmark reads personal data, and it keeps the seed honest about what
 * it measures. Neither are seeded: outbox events, idempotency records, audit records and tier changes (the
 * history of events and requests the seeded entries would have left); the tables those are appended to start
 * empty.
 *
 * <p>Besides the schema's tables it creates {@code bench.members}: the sampled members numbered from 1, for the
 * pgbench baseline to pick a random member from (schema {@code bench}, which the application never reads).
 */
public final class Seeder implements AutoCloseable {

    /** Tables the passes load; their secondary indexes are dropped while they are. */
    private static final List<String> LOADED = List.of("persons", "memberships", "accounts", "journal_entries",
        "postings", "lots", "lot_movements", "purchases", "exchange_transfers", "exchange_quotes", "settlement_records",
        "exchange_usage", "qualifying_activity", "member_tiers");
    private static final long CAP = 1_000_000_000_000L;
    private static final int PERSONS_PER_REPORT = 256;

    private final Connection db;
    private final SeedPlan plan;
    private final Progress progress;

    /** Connects to the database of {@code jdbcUrl} as {@code postgres}, unless the URL names another user. */
    public Seeder(String jdbcUrl, SeedPlan plan, Progress progress) throws SQLException {
        this.plan = plan;
        this.progress = progress;
        var properties = new Properties();
        if (!jdbcUrl.contains("user=")) {
            properties.setProperty("user", "postgres");
        }
        properties.setProperty("ApplicationName", "pointbridge-bench-seed");
        this.db = DriverManager.getConnection(jdbcUrl, properties);
    }

    /** A growth step: the entries and persons it added, its rows per table and how long it took. */
    public record Growth(long entries, long persons, Map<String, Long> rows, Duration elapsed) {
    }

    /** Seeds the empty database with the plan; returns what the load generator needs (also as JSON: {@link SeedData#write}). */
    public SeedData seed() throws SQLException {
        long started = System.nanoTime();
        requireEmptySchema();
        var now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var world = new World(plan, now);
        progress.say(String.format("Seeding plan %s: %,d tenants x %,d brands, %,d persons (%,d memberships), "
                + "%,d entries, %,d open lots (%.0f %% expired)", plan.name(), plan.tenants(), plan.brandsPerTenant(),
            plan.persons(), world.memberships(), plan.ledgerEntries(), plan.openLots(), plan.expiredShare() * 100));
        var keys = new String[world.programs];
        var rows = new LinkedHashMap<String, Long>();
        var samples = new ArrayList<List<SeedData.Member>>();
        for (int program = 0; program < world.programs; program++) {
            samples.add(new ArrayList<>());
        }
        bulkSession(true);
        try {
            insertFixedPart(world, keys, rows);
            load(world, rows, true, samples);
        } finally {
            bulkSession(false);
        }
        rows.put("bench.members", pgbenchMembers(world));
        requireInvariants();
        vacuumAnalyze();
        var data = new SeedData(plan, now, rows, facts(), rows.get("bench.members"), tenants(world, keys, samples));
        progress.say("Seeded in " + Progress.clock(Duration.ofNanos(System.nanoTime() - started)) + " ("
            + String.format("%,d", rows.values().stream().mapToLong(Long::longValue).sum()) + " rows)");
        return data;
    }

    /**
     * Grows the seeded data set by about {@code entries} journal entries, with persons and lots in the plan's
     * proportions (a ledger ten times larger has about ten times the members, not members with ten times the
     * history): the same histories as the first seed, of new persons, numbered after those in the database.
     * Invariants hold by construction; {@link #verify()} checks them.
     */
    public Growth addLedgerEntries(long entries) throws SQLException {
        long started = System.nanoTime();
        long persons = Math.max(plan.tenants(), Math.round((double) entries * plan.persons() / plan.ledgerEntries()));
        long lots = Math.round((double) entries * plan.openLots() / plan.ledgerEntries());
        int personBase = (int) count("select count(*) from persons");
        int memberBase = (int) count("select count(*) from memberships");
        long existing = count("select count(*) from journal_entries");
        var world = new World(plan, Instant.now().truncatedTo(ChronoUnit.SECONDS), personBase, memberBase, persons,
            entries, Math.min(lots, entries), false);
        progress.say(String.format("Adding %,d entries (%,d persons) to %,d", entries, persons, existing));
        var rows = new LinkedHashMap<String, Long>();
        bulkSession(true);
        try {
            load(world, rows, entries >= existing / 2, null);
        } finally {
            bulkSession(false);
        }
        vacuumAnalyze();
        long added = rows.getOrDefault("journal_entries", 0L);
        return new Growth(added, persons, rows, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Checks every ledger invariant over the whole database. */
    public Invariants.Report verify() throws SQLException {
        return Invariants.check(db);
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }

    private void requireEmptySchema() throws SQLException {
        if (count("select count(*) from pg_tables where schemaname = 'public' and tablename = 'flyway_schema_history'")
                == 0) {
            throw new IllegalStateException("no Flyway history: the application's migrations have not run on this "
                + "database (start the app against it once)");
        }
        if (count("select count(*) from (select 1 from tenants limit 1) t") > 0) {
            throw new IllegalStateException("the database holds tenants already: seed an empty database");
        }
    }

    private void bulkSession(boolean bulk) throws SQLException {
        try (var statement = db.createStatement()) {
            if (bulk) {
                statement.execute("set session_replication_role = replica");
                statement.execute("set synchronous_commit = off");
                statement.execute("set maintenance_work_mem = '1GB'");
                statement.execute("set work_mem = '256MB'");
            } else {
                statement.execute("reset session_replication_role");
                statement.execute("reset synchronous_commit");
            }
        }
    }

    // The fixed part: tenants, brands, programs and what every program has.

    private void insertFixedPart(World world, String[] keys, Map<String, Long> rows) throws SQLException {
        var step = progress.step("tenants, brands, programs", world.programs);
        var created = at(world.now - 5 * World.YEAR);
        var ratesSince = at(world.now - World.RATES_SINCE);
        var schemeChanged = at(world.now - World.MINUTE);
        try (var tenants = db.prepareStatement("""
                insert into tenants (tenant_id, slug, name, settlement_currency, created_at) values (?, ?, ?, ?, ?)""");
             var brands = db.prepareStatement("""
                insert into brands (tenant_id, brand_id, code, name, created_at) values (?, ?, ?, ?, ?)""");
             var programs = db.prepareStatement("""
                insert into programs (tenant_id, program_id, brand_id, code, name, points_name, purchase_currency,
                                      earn_points, earn_per_minor, expiry_months, time_zone, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'UTC', ?)""");
             var accounts = db.prepareStatement("""
                insert into accounts (tenant_id, account_id, program_id, kind, created_at) values (?, ?, ?, ?, ?)""");
             var apiKeys = db.prepareStatement("""
                insert into api_keys (tenant_id, api_key_id, brand_id, name, secret_hash, created_by, created_at)
                values (?, ?, ?, 'benchmark', ?, ?, ?)""");
             var values = db.prepareStatement("""
                insert into program_values (tenant_id, value_id, program_id, point_value, currency, set_by, set_at)
                values (?, ?, ?, ?, ?, ?, ?)""");
             var rates = db.prepareStatement("""
                insert into exchange_rates (tenant_id, rate_id, source_program_id, target_program_id, version,
                    source_units, target_units, effective_from, enabled, minimum_points, step_points, fee_percent,
                    fee_fixed, cap_member_day, cap_member_month, converted_convertible, created_by, created_at)
                values (?, ?, ?, ?, 1, ?, ?, ?, true, ?, ?, ?, 0, ?, ?, true, ?, ?)""");
             var schemes = db.prepareStatement("""
                insert into tier_schemes (tenant_id, program_id, version, window_kind, window_months, time_zone,
                                          grace_days, updated_at, updated_by)
                values (?, ?, 2, 'ROLLING', 12, 'UTC', 30, ?, ?)""");
             var levels = db.prepareStatement("""
                insert into tier_levels (tenant_id, program_id, level, code, name, multiplier, qualification)
                values (?, ?, ?, ?, ?, ?, cast(? as jsonb))""")) {
            for (int t = 0; t < plan.tenants(); t++) {
                var tenant = world.tenantId(t);
                tenants.setObject(1, tenant);
                tenants.setString(2, world.tenantSlug(t));
                tenants.setString(3, world.tenantName(t));
                tenants.setString(4, World.CURRENCY);
                tenants.setObject(5, created);
                tenants.addBatch();
            }
            rows.put("tenants", sum(tenants.executeBatch()));
            for (int program = 0; program < world.programs; program++) {
                var tenant = world.tenantId(world.tenantOfProgram(program));
                var programId = world.programId(program);
                batch(brands, tenant, world.brandId(program), world.brandCode(program), world.brandName(program), created);
                batch(programs, tenant, programId, world.brandId(program), world.brandCode(program),
                    world.brandName(program) + " Rewards", world.pointsName(program), World.CURRENCY, World.EARN_POINTS,
                    World.EARN_PER_MINOR, World.EXPIRY_MONTHS, created);
                for (var kind : SystemAccount.values()) {
                    batch(accounts, tenant, world.systemAccount(program, kind), programId, kind.name(), created);
                }
                keys[program] = newApiKey(world, program, apiKeys, tenant, created);
                batch(values, tenant, world.ids.of(Ids.Kind.PROGRAM_VALUE, program), programId,
                    world.pointValue(program), World.CURRENCY, World.SEEDER, ratesSince);
                int first = world.tenantOfProgram(program) * plan.brandsPerTenant();
                for (int other = first; other < first + plan.brandsPerTenant(); other++) {
                    if (other != program) {
                        batch(rates, tenant, world.rateId(program, other), programId, world.programId(other),
                            world.sourceUnits(), world.targetUnits(program, other), ratesSince, World.MINIMUM_CONVERSION,
                            World.CONVERSION_STEP, World.FEE_PERCENT, CAP, CAP, World.SEEDER, ratesSince);
                    }
                }
                if (world.tiered(program)) {
                    batch(schemes, tenant, programId, schemeChanged, World.SEEDER);
                    batch(levels, tenant, programId, 1, "bronze", "Bronze", BigDecimal.ONE, null);
                    batch(levels, tenant, programId, 2, "silver", "Silver", new BigDecimal("1.25"), """
                        {"any":[{"counter":"spend","atLeast":50000},{"counter":"orders","atLeast":5}]}""");
                    batch(levels, tenant, programId, 3, "gold", "Gold", new BigDecimal("1.50"), """
                        {"all":[{"counter":"spend","atLeast":100000},{"counter":"orders","atLeast":10}]}""");
                }
                step.advance(1, 0);
            }
            rows.put("brands", sum(brands.executeBatch()));
            rows.put("programs", sum(programs.executeBatch()));
            rows.put("accounts (system)", sum(accounts.executeBatch()));
            rows.put("api_keys", sum(apiKeys.executeBatch()));
            rows.put("program_values", sum(values.executeBatch()));
            rows.put("exchange_rates", sum(rates.executeBatch()));
            rows.put("tier_schemes", sum(schemes.executeBatch()));
            rows.put("tier_levels", sum(levels.executeBatch()));
        }
        step.advance(0, rows.values().stream().mapToLong(Long::longValue).sum());
        step.finish();
    }

    /**
     * An API key made as tenant-core's ApiKeys issues one: a 256-bit secret in base64url, stored only as its SHA-256
     * hash; the key presented is {@code pbk_<key id in hex>_<secret>}.
     */
    private static String newApiKey(World world, int program, PreparedStatement apiKeys, Object tenant,
            OffsetDateTime created) throws SQLException {
        var secretBytes = new byte[32];
        new SecureRandom().nextBytes(secretBytes);
        var secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        var id = world.apiKeyId(program);
        batch(apiKeys, tenant, id, world.brandId(program), sha256(secret), World.SEEDER, created);
        return "pbk_" + id.toString().replace("-", "") + "_" + secret;
    }

    // The streamed part: one pass over the persons per table.

    private void load(World world, Map<String, Long> rows, boolean dropIndexes, List<List<SeedData.Member>> samples)
            throws SQLException {
        var histories = new Histories(world);
        var indexes = dropIndexes ? dropSecondaryIndexes() : List.<String>of();
        try {
            pass(world, histories, rows, "persons", new String[] {"tenant_id", "person_id", "created_at"},
                (history, copy) -> copy.row(3).uuid(history.tenantId).uuid(history.personId).timestamp(history.createdAt));
            pass(world, histories, rows, "memberships", new String[] {"tenant_id", "membership_id", "person_id",
                    "program_id", "external_id", "enrolled_at"}, (history, copy) -> {
                    for (var member : history.members) {
                        copy.row(6).uuid(history.tenantId).uuid(member.id()).uuid(history.personId)
                            .uuid(world.programId(member.program())).text(member.externalId()).timestamp(member.enrolledAt());
                    }
                });
            pass(world, histories, rows, "accounts", new String[] {"tenant_id", "account_id", "program_id", "kind",
                    "membership_id", "balance", "created_at"}, (history, copy) -> {
                    for (var member : history.members) {
                        copy.row(7).uuid(history.tenantId).uuid(member.walletId()).uuid(world.programId(member.program()))
                            .text("WALLET").uuid(member.id()).int8(member.balance()).timestamp(member.enrolledAt());
                        if (samples != null && (world.memberFlags[member.index()] & World.SAMPLE) != 0) {
                            samples.get(member.program()).add(new SeedData.Member(member.id(), member.externalId(),
                                history.personId, member.balance()));
                        }
                    }
                });
            pass(world, histories, rows, "journal_entries", new String[] {"tenant_id", "entry_id", "kind", "reference",
                    "memo", "actor", "created_at"}, (history, copy) -> {
                    for (var entry : history.entries) {
                        copy.row(7).uuid(history.tenantId).uuid(entry.id()).text(entry.kind()).text(entry.reference())
                            .text(entry.memo()).text(entry.actor()).timestamp(entry.at());
                    }
                });
            pass(world, histories, rows, "postings", new String[] {"tenant_id", "entry_id", "line_no", "account_id",
                    "program_id", "amount"}, (history, copy) -> {
                    for (var entry : history.entries) {
                        int line = 1;
                        for (var posting : entry.postings()) {
                            copy.row(6).uuid(history.tenantId).uuid(entry.id()).int2(line++).uuid(posting.account())
                                .uuid(world.programId(posting.program())).int8(posting.amount());
                        }
                    }
                });
            pass(world, histories, rows, "lots", new String[] {"tenant_id", "lot_id", "account_id", "entry_id",
                    "earned_at", "available_at", "expires_at", "original", "remaining", "convertible"}, (history, copy) -> {
                    for (var lot : history.lots) {
                        copy.row(10).uuid(history.tenantId).uuid(lot.id).uuid(lot.account).uuid(lot.entry)
                            .timestamp(lot.earnedAt).timestamp(lot.earnedAt).timestampOrNull(lot.expiresAt)
                            .int8(lot.original).int8(lot.remaining).bool(true);
                    }
                });
            pass(world, histories, rows, "lot_movements", new String[] {"tenant_id", "entry_id", "lot_id", "amount"},
                (history, copy) -> {
                    for (var movement : history.movements) {
                        copy.row(4).uuid(history.tenantId).uuid(movement.entry()).uuid(movement.lot()).int8(movement.amount());
                    }
                });
            pass(world, histories, rows, "purchases", new String[] {"tenant_id", "purchase_id", "membership_id",
                    "program_id", "order_id", "currency", "amount_minor", "points_earned", "entry_id", "purchased_at"},
                (history, copy) -> {
                    for (var purchase : history.purchases) {
                        copy.row(10).uuid(history.tenantId).uuid(purchase.id()).uuid(purchase.membershipId())
                            .uuid(world.programId(purchase.program())).text(purchase.orderId()).text(World.CURRENCY)
                            .int8(purchase.amountMinor()).int8(purchase.points()).uuid(purchase.entry())
                            .timestamp(purchase.at());
                    }
                });
            pass(world, histories, rows, "exchange_transfers", new String[] {"tenant_id", "transfer_id", "quote_id",
                    "rate_id", "person_id", "source_membership_id", "target_membership_id", "source_program_id",
                    "target_program_id", "source_brand_id", "target_brand_id", "source_points", "fee_points",
                    "target_points", "entry_id", "executed_by", "executed_at", "reversible_until", "counted_member_day",
                    "counted_member_month", "counted_pair_day"}, (history, copy) -> {
                    for (var transfer : history.transfers) {
                        copy.row(21).uuid(history.tenantId).uuid(transfer.id()).uuid(transfer.quoteId())
                            .uuid(world.rateId(transfer.sourceProgram(), transfer.targetProgram())).uuid(history.personId)
                            .uuid(world.membershipId(transfer.sourceMember())).uuid(world.membershipId(transfer.targetMember()))
                            .uuid(world.programId(transfer.sourceProgram())).uuid(world.programId(transfer.targetProgram()))
                            .uuid(world.brandId(transfer.sourceProgram())).uuid(world.brandId(transfer.targetProgram()))
                            .int8(transfer.points()).int8(transfer.fee()).int8(transfer.credited()).uuid(transfer.entry())
                            .text(world.integration(transfer.sourceProgram())).timestamp(transfer.at())
                            .timestamp(transfer.at() + World.DAY).bool(true).bool(true).bool(false);
                    }
                });
            derive(world, rows);
        } finally {
            recreate(indexes);
        }
    }

    private void pass(World world, Histories histories, Map<String, Long> rows, String table, String[] columns,
            BiConsumer<History, BinaryCopy> write) throws SQLException {
        var step = progress.step(table, world.persons());
        try (var copy = BinaryCopy.into(db, table, columns)) {
            long reported = 0;
            int pending = 0;
            for (int p = 0; p < world.persons(); p++) {
                write.accept(histories.of(p), copy);
                if (++pending == PERSONS_PER_REPORT) {
                    step.advance(pending, copy.rows() - reported);
                    reported = copy.rows();
                    pending = 0;
                }
            }
            step.advance(pending, copy.rows() - reported);
            rows.merge(table, copy.finish(), Long::sum);
        }
        step.finish();
    }

    // The derived part: set-based from what the passes loaded, for the memberships of this world only.

    private void derive(World world, Map<String, Long> rows) throws SQLException {
        try (var statement = db.createStatement()) {
            statement.execute("drop table if exists seed_segment");
            statement.execute("create temp table seed_segment (tenant_id uuid not null, membership_id uuid not null, "
                + "primary key (tenant_id, membership_id))");
        }
        try (var copy = BinaryCopy.into(db, "seed_segment", "tenant_id", "membership_id")) {
            for (int p = 0; p < world.persons(); p++) {
                var tenant = world.tenantId(world.tenantOf(p));
                for (int m = world.personFirst[p]; m < world.personFirst[p + 1]; m++) {
                    copy.row(2).uuid(tenant).uuid(world.membershipId(m));
                }
            }
            copy.finish();
        }
        // Fresh statistics, or the planner takes the loaded tables for empty and joins them by nested loops.
        analyze("seed_segment", "memberships", "purchases", "exchange_transfers", "program_values", "tier_schemes");
        var now = at(world.now);
        var reassess = at(world.now - World.MINUTE);
        derived(rows, "exchange_quotes", """
                insert into exchange_quotes (tenant_id, quote_id, rate_id, person_id, source_membership_id,
                    target_membership_id, source_program_id, target_program_id, source_brand_id, target_brand_id,
                    source_points, fee_points, target_points, created_by, created_at, expires_at)
                select t.tenant_id, t.quote_id, t.rate_id, t.person_id, t.source_membership_id, t.target_membership_id,
                       t.source_program_id, t.target_program_id, t.source_brand_id, t.target_brand_id, t.source_points,
                       t.fee_points, t.target_points, t.executed_by, t.executed_at - interval '5 seconds',
                       t.executed_at + interval '55 seconds'
                  from exchange_transfers t
                  join seed_segment s on s.tenant_id = t.tenant_id and s.membership_id = t.source_membership_id""");
        // Settlement records as points-exchange's Settlements records them: (S - F) source points at the source
        // program's value, in minor units of the settlement currency (EUR: 2 digits), rounded down.
        derived(rows, "settlement_records", """
                insert into settlement_records (tenant_id, record_id, transfer_id, kind, payer_brand_id, payee_brand_id,
                    source_program_id, points, point_value, currency, amount_minor, recorded_at)
                select t.tenant_id, gen_random_uuid(), t.transfer_id, 'TRANSFER', t.source_brand_id, t.target_brand_id,
                       t.source_program_id, t.source_points - t.fee_points, v.point_value, v.currency,
                       floor((t.source_points - t.fee_points) * v.point_value * 100)::bigint, t.executed_at
                  from exchange_transfers t
                  join seed_segment s on s.tenant_id = t.tenant_id and s.membership_id = t.source_membership_id
                  join program_values v on v.tenant_id = t.tenant_id and v.program_id = t.source_program_id""");
        // The rates' per-member caps count every transfer, per UTC day and month (points-exchange's UsageCaps).
        derived(rows, "exchange_usage", """
                insert into exchange_usage (tenant_id, source_program_id, target_program_id, scope, subject_id,
                                            period_start, used)
                select t.tenant_id, t.source_program_id, t.target_program_id, p.scope, t.source_membership_id,
                       p.period_start, sum(t.source_points)
                  from exchange_transfers t
                  join seed_segment s on s.tenant_id = t.tenant_id and s.membership_id = t.source_membership_id
                 cross join lateral (values ('MEMBER_DAY', (t.executed_at at time zone 'UTC')::date),
                                            ('MEMBER_MONTH', date_trunc('month', t.executed_at at time zone 'UTC')::date))
                       p (scope, period_start)
                 group by t.tenant_id, t.source_program_id, t.target_program_id, p.scope, t.source_membership_id,
                          p.period_start
                on conflict (tenant_id, source_program_id, target_program_id, scope, subject_id, period_start)
                do update set used = exchange_usage.used + excluded.used""");
        // What purchases count toward tiers, as tenant-core's QualifyingActivity records it (spend, orders, points at
        // the purchase's time); purchases older than any window can reach are left out.
        derived(rows, "qualifying_activity", """
                insert into qualifying_activity (tenant_id, membership_id, program_id, counter, amount, occurred_at,
                                                 source, reference)
                select p.tenant_id, p.membership_id, p.program_id, c.counter, c.amount,
                       p.purchased_at, 'PURCHASE', p.purchase_id::text
                  from purchases p
                  join seed_segment s on s.tenant_id = p.tenant_id and s.membership_id = p.membership_id
                  join tier_schemes t on t.tenant_id = p.tenant_id and t.program_id = p.program_id
                 cross join lateral (values ('spend', p.amount_minor), ('orders', 1::bigint), ('points', p.points_earned))
                       c (counter, amount)
                 where p.purchased_at > ? - interval '13 months' and c.amount <> 0""", now);
        analyze("qualifying_activity");
        // A row for every member who ever bought in a program with tiers (tenant-core's MemberTierRows makes it at the
        // first purchase), at the level the scheme before the last change gave the activity of the last 12 months
        // (thresholds a fifth higher than now); and a reassessment due a minute ago, as TierSchemes schedules one for
        // every row of the program when an admin changes its scheme. The review job then evaluates every one of them.
        derived(rows, "member_tiers", """
                insert into member_tiers (tenant_id, membership_id, program_id, level, since, review_at, reassess_at,
                                          updated_at)
                select b.tenant_id, b.membership_id, b.program_id, l.level,
                       case when l.level > 1 then c.last else m.enrolled_at end,
                       case when l.level > 1 then c.last + interval '12 months' end, ?, ?
                  from (select distinct p.tenant_id, p.membership_id, p.program_id
                          from purchases p
                          join seed_segment s on s.tenant_id = p.tenant_id and s.membership_id = p.membership_id
                          join tier_schemes t on t.tenant_id = p.tenant_id and t.program_id = p.program_id) b
                  join memberships m on m.tenant_id = b.tenant_id and m.membership_id = b.membership_id
                  left join (select a.tenant_id, a.membership_id,
                                    sum(a.amount) filter (where a.counter = 'spend') as spend,
                                    sum(a.amount) filter (where a.counter = 'orders') as orders,
                                    max(a.occurred_at) as last
                               from qualifying_activity a
                               join seed_segment s on s.tenant_id = a.tenant_id and s.membership_id = a.membership_id
                              where a.occurred_at > ? - interval '12 months' and a.occurred_at <= ?
                              group by a.tenant_id, a.membership_id) c
                    on c.tenant_id = b.tenant_id and c.membership_id = b.membership_id
                 cross join lateral (select case when c.spend >= 120000 and c.orders >= 12 then 3
                                                 when c.spend >= 60000 or c.orders >= 6 then 2
                                                 else 1 end as level) l""", reassess, reassess, reassess, reassess);
    }

    private void analyze(String... tables) throws SQLException {
        try (var statement = db.createStatement()) {
            statement.execute("analyze " + String.join(", ", tables));
        }
    }

    private void derived(Map<String, Long> rows, String table, String sql, Object... parameters) throws SQLException {
        var step = progress.step(table, 1);
        try (var statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            long inserted = statement.executeLargeUpdate();
            rows.merge(table, inserted, Long::sum);
            step.advance(1, inserted);
        }
        step.finish();
    }

    /** Drops the non-unique indexes of the loaded tables; returns their definitions, to build them again. */
    private List<String> dropSecondaryIndexes() throws SQLException {
        var definitions = new ArrayList<String>();
        var names = new ArrayList<String>();
        try (var statement = db.prepareStatement("""
                select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                  from pg_index i
                 where i.indrelid = any (cast(? as regclass[])) and not i.indisunique and not i.indisprimary
                   and not exists (select from pg_constraint c where c.conindid = i.indexrelid)
                 order by 1""")) {
            statement.setArray(1, db.createArrayOf("text", LOADED.toArray()));
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    names.add(result.getString(1));
                    definitions.add(result.getString(2));
                }
            }
        }
        try (var statement = db.createStatement()) {
            for (var name : names) {
                statement.execute("drop index " + name);
            }
        }
        progress.say("Dropped " + names.size() + " secondary indexes while loading: " + String.join(", ", names));
        return definitions;
    }

    private void recreate(List<String> definitions) throws SQLException {
        if (definitions.isEmpty()) {
            return;
        }
        var step = progress.step("indexes", definitions.size());
        try (var statement = db.createStatement()) {
            for (var definition : definitions) {
                statement.execute(definition);
                step.advance(1, 0);
            }
        }
        step.finish();
    }

    // After loading.

    /** The sampled members, numbered from 1, for pgbench to pick from (its {@code -D members=N}). */
    private long pgbenchMembers(World world) throws SQLException {
        try (var statement = db.createStatement()) {
            statement.execute("create schema if not exists bench");
            statement.execute("drop table if exists bench.members");
            statement.execute("""
                    create table bench.members (
                        n              bigint primary key,
                        tenant_id      uuid not null,
                        membership_id  uuid not null,
                        account_id     uuid not null,
                        program_id     uuid not null)""");
        }
        long n = 0;
        try (var copy = BinaryCopy.into(db, "bench.members", "n", "tenant_id", "membership_id", "account_id",
            "program_id")) {
            for (int p = 0; p < world.persons(); p++) {
                var tenant = world.tenantId(world.tenantOf(p));
                for (int m = world.personFirst[p]; m < world.personFirst[p + 1]; m++) {
                    if ((world.memberFlags[m] & World.SAMPLE) != 0) {
                        copy.row(5).int8(++n).uuid(tenant).uuid(world.membershipId(m)).uuid(world.walletId(m))
                            .uuid(world.programId(world.memberProgram[m]));
                    }
                }
            }
            copy.finish();
        }
        return n;
    }

    private void requireInvariants() throws SQLException {
        var step = progress.step("ledger invariants", 1);
        var report = Invariants.check(db);
        step.finish();
        progress.say(report.describe().stripTrailing());
        if (!report.holds()) {
            throw new IllegalStateException("the seeded ledger breaks an invariant:\n" + report.describe());
        }
    }

    private void vacuumAnalyze() throws SQLException {
        var step = progress.step("vacuum analyze", 1);
        try (var statement = db.createStatement()) {
            statement.execute("vacuum (analyze)");
        }
        step.finish();
    }

    private SeedData.Facts facts() throws SQLException {
        try (var statement = db.createStatement();
             var lots = statement.executeQuery("""
                     select count(*) filter (where remaining > 0),
                            count(*) filter (where remaining > 0 and expires_at <= now()),
                            count(distinct account_id) filter (where remaining > 0 and expires_at <= now())
                       from lots""")) {
            lots.next();
            return new SeedData.Facts(lots.getLong(1), lots.getLong(2), lots.getLong(3),
                count("select count(*) from member_tiers where due_at <= now()"),
                count("select count(*) from exchange_transfers where executed_at >= now() - interval '30 days'"));
        }
    }

    private List<SeedData.Tenant> tenants(World world, String[] keys, List<List<SeedData.Member>> samples) {
        var pairs = new LinkedHashMap<Integer, List<SeedData.MemberPair>>();
        for (var converter : world.converters) {
            var a = world.membershipId(converter.memberA());
            var b = world.membershipId(converter.memberB());
            var person = world.personId(converter.person());
            pairs.computeIfAbsent(world.rateIndex(converter.programA(), converter.programB()), key -> new ArrayList<>())
                .add(new SeedData.MemberPair(person, a, b));
            pairs.computeIfAbsent(world.rateIndex(converter.programB(), converter.programA()), key -> new ArrayList<>())
                .add(new SeedData.MemberPair(person, b, a));
        }
        var tenants = new ArrayList<SeedData.Tenant>();
        for (int t = 0; t < plan.tenants(); t++) {
            var brands = new ArrayList<SeedData.Brand>();
            var exchange = new ArrayList<SeedData.ExchangePair>();
            for (int program = t * plan.brandsPerTenant(); program < (t + 1) * plan.brandsPerTenant(); program++) {
                brands.add(new SeedData.Brand(world.brandId(program), world.brandCode(program), world.brandName(program),
                    world.programId(program), world.brandCode(program), world.pointsName(program), World.CURRENCY,
                    World.EARN_POINTS, World.EARN_PER_MINOR, World.EXPIRY_MONTHS, world.tiered(program),
                    world.apiKeyId(program), keys[program], samples.get(program)));
                for (int other = t * plan.brandsPerTenant(); other < (t + 1) * plan.brandsPerTenant(); other++) {
                    if (other != program) {
                        exchange.add(new SeedData.ExchangePair(world.programId(program), world.programId(other),
                            world.brandId(program), world.brandId(other), keys[program], world.sourceUnits(),
                            world.targetUnits(program, other), World.MINIMUM_CONVERSION, World.CONVERSION_STEP, 1_000,
                            pairs.getOrDefault(world.rateIndex(program, other), List.of())));
                    }
                }
            }
            tenants.add(new SeedData.Tenant(world.tenantId(t), world.tenantSlug(t), world.tenantName(t), World.CURRENCY,
                brands, exchange));
        }
        return tenants;
    }

    private long count(String sql) throws SQLException {
        try (var statement = db.createStatement(); var result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void batch(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        statement.addBatch();
    }

    private static long sum(int[] counts) {
        long total = 0;
        for (int count : counts) {
            total += count;
        }
        return total;
    }

    private static OffsetDateTime at(long epochMicros) {
        return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Seeds a database alone: {@code --jdbc-url URL --size small|default [--tenants N] [--brands N] [--tiered N]
     * [--persons N] [--entries N] [--lots N] [--expired-share F] [--sample N] [--converters N] [--seed N]
     * [--out seed.json] [--add-entries N ...] [--verify]}. {@code --add-entries} grows the seeded set afterwards
     * (repeatable); {@code --verify} checks the invariants again at the end.
     */
    public static void main(String[] args) throws Exception {
        String url = null;
        var plan = SeedPlan.small();
        // The size first, wherever it is given: the other options change the preset.
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--size")) {
                plan = SeedPlan.preset(args[i + 1]);
            }
        }
        Path out = null;
        var growth = new ArrayList<Long>();
        boolean verify = false;
        for (int i = 0; i < args.length; i++) {
            var option = args[i];
            var value = i + 1 < args.length ? args[i + 1] : null;
            switch (option) {
                case "--jdbc-url" -> url = args[++i];
                case "--size" -> i++;
                case "--tenants" -> plan = plan.withTenants(Integer.parseInt(args[++i]));
                case "--brands" -> plan = plan.withBrands(Integer.parseInt(args[++i]),
                    Math.min(plan.tieredBrandsPerTenant(), Integer.parseInt(value)));
                case "--tiered" -> plan = plan.withBrands(plan.brandsPerTenant(), Integer.parseInt(args[++i]));
                case "--persons" -> plan = plan.withPersons(Long.parseLong(args[++i]));
                case "--entries" -> plan = plan.withLedgerEntries(Long.parseLong(args[++i]));
                case "--lots" -> plan = plan.withOpenLots(Long.parseLong(args[++i]));
                case "--expired-share" -> plan = plan.withExpiredShare(Double.parseDouble(args[++i]));
                case "--sample" -> plan = plan.withSamples(Integer.parseInt(args[++i]), plan.convertersPerPair());
                case "--converters" -> plan = plan.withSamples(plan.samplePerProgram(), Integer.parseInt(args[++i]));
                case "--seed" -> plan = plan.withSeed(Long.parseLong(args[++i]));
                case "--out" -> out = Path.of(args[++i]);
                case "--add-entries" -> growth.add(Long.parseLong(args[++i]));
                case "--verify" -> verify = true;
                default -> throw new IllegalArgumentException("unknown option " + option + "; see Seeder's javadoc");
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--jdbc-url is required");
        }
        try (var seeder = new Seeder(url, plan, Progress.onStandardOutput())) {
            var data = seeder.seed();
            if (out != null) {
                data.write(out);
                System.out.println("Wrote " + out);
            }
            System.out.printf("Facts: %s%n", data.facts());
            for (long entries : growth) {
                var grown = seeder.addLedgerEntries(entries);
                System.out.printf("Grew by %,d entries (%,d persons) in %s%n", grown.entries(), grown.persons(),
                    Progress.clock(grown.elapsed()));
            }
            if (verify) {
                var report = seeder.verify();
                System.out.print(report.describe());
                if (!report.holds()) {
                    System.exit(1);
                }
            }
        }
    }
}
