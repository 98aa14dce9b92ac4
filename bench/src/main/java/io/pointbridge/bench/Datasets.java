package io.pointbridge.bench;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.pointbridge.bench.baseline.Pgbench;
import io.pointbridge.bench.baseline.SetBasedBaselines;
import io.pointbridge.bench.batch.Database;
import io.pointbridge.bench.batch.JobWatch;
import io.pointbridge.bench.load.Latency;
import io.pointbridge.bench.load.Population;
import io.pointbridge.bench.seed.Progress;
import io.pointbridge.bench.seed.SeedData;
import io.pointbridge.bench.seed.SeedPlan;
import io.pointbridge.bench.seed.Seeder;

/** The benchmark's data: its database, the seeded set, and the same-run baselines that read the same rows. */
final class Datasets {

    /** The tenant the demo realm's {@code demo-admin} administers: its token maps to this slug. */
    static final String ADMIN_TENANT = "demo-group";

    private Datasets() {
    }

    /** Drops and creates the benchmark database, owned by the schema owner the app migrates as. */
    static void recreate(BenchOptions options) throws SQLException {
        var url = "jdbc:postgresql://" + options.pgHost() + ":" + options.pgPort() + "/postgres";
        try (var connection = new Database(url).connect();
                var statement = connection.createStatement()) {
            statement.execute("drop database if exists " + options.database() + " with (force)");
            statement.execute("create database " + options.database() + " owner pointbridge_owner");
        }
    }

    static SeedPlan plan(String size) {
        return SeedPlan.preset(size);
    }

    /** Ledger sizes the growth phase reads at: a hundredth, a tenth, and all of the plan's entries. */
    static long[] growthSteps(SeedPlan plan) {
        return new long[] {plan.ledgerEntries() / 100, plan.ledgerEntries() / 10, plan.ledgerEntries()};
    }

    static String describe(SeedPlan plan) {
        return String.format(Locale.ROOT, "(%d tenants x %d brands, %,d persons, %,d ledger entries, %,d open lots)",
            plan.tenants(), plan.brandsPerTenant(), plan.persons(), plan.ledgerEntries(), plan.openLots());
    }

    /** Seeds the plan with {@code entries} ledger entries to begin with; the rest come with {@link Dataset#growTo}. */
    static Dataset seed(BenchOptions options, SeedPlan plan, long entries, Path json, Consumer<String> say)
            throws Exception {
        // The first seed is the plan scaled down to its first ledger size; growing adds persons and lots in the
        // plan's proportions, so the full size ends up as planned.
        double share = (double) entries / plan.ledgerEntries();
        var first = plan.withOpenLots(Math.round(plan.openLots() * share))
            .withPersons(Math.max(plan.tenants() * 10L, Math.round(plan.persons() * share)))
            .withLedgerEntries(entries);
        var seeder = new Seeder(options.jdbcUrl(), first, Progress.onStandardOutput());
        var data = seeder.seed();
        data.write(json);
        var admin = data.tenants().getFirst();
        try (var connection = new Database(options.jdbcUrl()).connect();
                var statement = connection.prepareStatement("update tenants set slug = ? where tenant_id = ?")) {
            statement.setString(1, ADMIN_TENANT);
            statement.setObject(2, admin.id());
            statement.executeUpdate();
        }
        say.accept("  seeded: " + data.rows());
        return new Dataset(options, seeder, data, entries);
    }

    /** A seeded database and what the load generator and the baselines need of it. */
    static final class Dataset {

        private final BenchOptions options;
        private final Seeder seeder;
        private final SeedData data;
        private final Population population;
        private long entries;

        private Dataset(BenchOptions options, Seeder seeder, SeedData data, long entries) {
            this.options = options;
            this.seeder = seeder;
            this.data = data;
            this.entries = entries;
            this.population = population(data);
        }

        Population population() {
            return population;
        }

        long ledgerEntries() {
            return entries;
        }

        String adminTenantSlug() {
            return ADMIN_TENANT;
        }

        void growTo(long total, Consumer<String> say) throws SQLException {
            if (total > entries) {
                say.accept("==> growing the ledger to " + String.format(Locale.ROOT, "%,d", total) + " entries");
                seeder.addLedgerEntries(total - entries);
                entries = total;
                // Millions of rows just loaded leave the buffers dirty: without a checkpoint here, the reads
                // measured next would meet the server writing them out, not the cost of a read at this size.
                try (var connection = new Database(options.jdbcUrl()).connect();
                        var statement = connection.createStatement()) {
                    statement.execute("checkpoint");
                }
            }
        }

        Baseline baseline() {
            return new Baseline(new Pgbench(Path.of("pgbench"), Pgbench.earnScript(), options.jdbcUrl(),
                data.pgbenchMembers(), 2), maxPgbenchClients(options));
        }

        SqlBaselines setBasedBaselines() {
            return new SqlBaselines(options.jdbcUrl(), data);
        }

        private static Population population(SeedData data) {
            var brands = new ArrayList<Population.Brand>();
            var pairs = new ArrayList<Population.ExchangePair>();
            for (var tenant : data.tenants()) {
                for (var brand : tenant.brands()) {
                    brands.add(new Population.Brand(tenant.slug() + "/" + brand.code(), brand.apiKey(),
                        brand.purchaseCurrency(), brand.members().stream().map(SeedData.Member::id).toList()));
                }
                for (var pair : tenant.exchangePairs()) {
                    if (!pair.members().isEmpty()) {
                        pairs.add(new Population.ExchangePair(pair.sourceApiKey(), pair.points(), pair.members().stream()
                            .map(m -> new Population.MemberPair(m.source(), m.target())).toList()));
                    }
                }
            }
            return new Population(brands, pairs);
        }
    }

    /**
     * pgbench holds one connection per client, the app instances hold their pools: the server's max_connections
     * bounds how many pgbench clients fit beside them.
     */
    static int maxPgbenchClients(BenchOptions options) {
        try (var connection = new Database(options.jdbcUrl()).connect();
                var statement = connection.createStatement();
                var rows = statement.executeQuery("select current_setting('max_connections')::int "
                    + "- (select count(*) from pg_stat_activity where backend_type = 'client backend')")) {
            rows.next();
            return Math.max(1, rows.getInt(1) - 8);
        } catch (SQLException e) {
            return 64;
        }
    }

    /** pgbench's earn-equivalent: the same-run baseline of every HTTP figure. */
    static final class Baseline {

        private final Pgbench pgbench;
        private final int maxClients;

        Baseline(Pgbench pgbench, int maxClients) {
            this.pgbench = pgbench;
            this.maxClients = maxClients;
        }

        /** The clients pgbench really runs with: the HTTP run's count, unless the server has no room for them. */
        int clients(int requested) {
            return Math.min(requested, maxClients);
        }

        void warmUp(int clients, Duration warmup) throws Exception {
            pgbench.closed(clients(clients), warmup);
        }

        Pgbench.Throughput closed(int clients, Duration measure) throws Exception {
            return pgbench.closed(clients(clients), measure);
        }

        Latency atRate(double rate, int clients, Duration warmup, Duration measure) throws Exception {
            var measured = pgbench.fixedRate(rate, clients(clients), measure);
            return new Latency(measured.p50Millis(), measured.p95Millis(), measured.p99Millis(), measured.maxMillis());
        }
    }

    /** One set-based statement per batch job over the same rows, rolled back so the product then finds them. */
    static final class SqlBaselines {

        private final String jdbcUrl;
        private final SeedData data;

        SqlBaselines(String jdbcUrl, SeedData data) {
            this.jdbcUrl = jdbcUrl;
            this.data = data;
        }

        JobWatch.Timed expiry() throws SQLException {
            try (var sql = new SetBasedBaselines(jdbcUrl)) {
                return timed(sql.expiry(Instant.now()));
            }
        }

        JobWatch.Timed tierEvaluation() throws SQLException {
            try (var sql = new SetBasedBaselines(jdbcUrl)) {
                return timed(sql.tierEvaluation(Instant.now()));
            }
        }

        JobWatch.Timed settlement(String tenantSlug, LocalDate from, LocalDate to) throws SQLException {
            try (var sql = new SetBasedBaselines(jdbcUrl)) {
                return timed(sql.settlement(from, to, tenantSlug));
            }
        }

        private static JobWatch.Timed timed(SetBasedBaselines.Result result) {
            return new JobWatch.Timed(result.rows(), result.elapsed().toNanos() / 1e9);
        }
    }

}
