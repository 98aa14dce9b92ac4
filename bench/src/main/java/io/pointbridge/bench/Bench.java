package io.pointbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pointbridge.bench.app.AppInstance;
import io.pointbridge.bench.batch.Database;
import io.pointbridge.bench.batch.ExpiryWatch;
import io.pointbridge.bench.batch.JobWatch;
import io.pointbridge.bench.load.CpuMeter;
import io.pointbridge.bench.load.Http;
import io.pointbridge.bench.load.Latency;
import io.pointbridge.bench.load.LoadGenerator;
import io.pointbridge.bench.load.Measurement;
import io.pointbridge.bench.load.Population;
import io.pointbridge.bench.load.Workload;

/**
 * Runs the benchmark suite: a fresh database, the real app (API-key authentication, every guarantee on), a data
 * set seeded at scale, then each figure beside a baseline measured in the same run on the same machine. Prints
 * the tables and writes {@code bench/results/<time>.json}. See docs/performance.md.
 */
public final class Bench {

    static final List<String> OPERATIONS = List.of("earn", "spend", "balance", "history", "exchange");
    static final double[] LOADS = {0.5, 0.8};
    /** pgbench's clients in the fixed-rate runs: enough that it never queues at the rates used here. */
    static final int RATE_CLIENTS = 8;
    /** Arrival rate of the growth reads: well below saturation, so it shows the cost of the read, not queueing. */
    static final double GROWTH_RATE = 100;

    private final BenchOptions options;
    private final Report report = new Report();
    private final Database database;
    private Path jar;

    private Bench(BenchOptions options) {
        this.options = options;
        this.database = new Database(options.jdbcUrl());
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.Usage | NumberFormatException e) {
            if (e.getMessage() != null) {
                System.err.println("bench: " + e.getMessage());
            }
            System.err.print(BenchOptions.Usage.TEXT);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        new Bench(options).run();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        var stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        var results = options.out().resolve(stamp);
        Files.createDirectories(results);
        // The app runs from a copy: a build in the checkout meanwhile must not swap the jar under a running app.
        jar = results.resolve("pointbridge-app.jar");
        Files.copy(options.jar(), jar);
        report.run.putAll(Machine.describe(options));
        report.run.put("started", Instant.now().toString());

        say("==> database " + options.database() + " (recreated)");
        Datasets.recreate(options);

        var plan = Datasets.plan(options.size());
        long[] steps = Datasets.growthSteps(plan);
        report.run.put("size", options.size() + " " + Datasets.describe(plan));

        say("==> app (migrates the schema)");
        var app = startApp(options.port(), results.resolve("app-1.log"), false, Map.of());
        try {
            say("==> seeding " + options.size() + " data set");
            long seedStart = System.nanoTime();
            var dataset = Datasets.seed(options, plan, options.runs("growth") ? steps[0] : plan.ledgerEntries(),
                results.resolve("seed.json"), Bench::say);
            report.run.put("first seed seconds", String.format(Locale.ROOT, "%.0f",
                (System.nanoTime() - seedStart) / 1e9));
            var http = new Http(List.of(app.url()));
            var workload = new Workload(http, dataset.population());
            var generator = new LoadGenerator(options.warmup(), options.measure(), Bench::say, Set.of(app.pid()));

            if (options.runs("growth")) {
                growth(dataset, workload, generator, steps);
            }
            dataset.growTo(plan.ledgerEntries(), Bench::say);
            report.run.put("ledger entries", dataset.ledgerEntries());
            var baseline = dataset.baseline();
            var maxima = new LinkedHashMap<String, Double>();
            if (options.runs("throughput") || options.runs("latency")) {
                throughput(baseline, workload, generator, maxima, Set.of(app.pid()));
            }
            if (options.runs("latency")) {
                latency(baseline, workload, generator, maxima);
            }
            if (options.runs("instances")) {
                instances(app, dataset, generator, results);
            }
            app.close();
            app = null;
            if (options.runs("batch")) {
                batch(dataset, results);
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
        targets();
        report.run.put("total seconds", String.format(Locale.ROOT, "%.0f", (System.nanoTime() - started) / 1e9));
        report.print(System.out);
        var json = results.resolve("results.json");
        report.write(json);
        say("Results: " + json);
    }

    private AppInstance startApp(int port, Path log, boolean jobs, Map<String, String> extra)
            throws IOException, InterruptedException {
        var properties = new LinkedHashMap<String, String>();
        // The benchmark is one client acting for many integrations: the per-key and per-tenant limits that
        // protect a shared platform from one caller would measure the limiter, not the platform.
        properties.put("pointbridge.rate-limits.per-caller.capacity", "100000000");
        properties.put("pointbridge.rate-limits.per-caller.refill", "100000000");
        properties.put("pointbridge.rate-limits.per-tenant.capacity", "100000000");
        properties.put("pointbridge.rate-limits.per-tenant.refill", "100000000");
        // Jobs run only when measured, so they do not disturb the HTTP figures.
        properties.put("pointbridge.points-jobs.scheduling", String.valueOf(jobs));
        properties.put("pointbridge.tiers.reviews.interval", "24h");
        properties.putAll(extra);
        return AppInstance.start(options.javaHome(), jar, port, options.jdbcUrl(),
            List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"), properties, log, Duration.ofMinutes(3));
    }

    private void growth(Datasets.Dataset dataset, Workload workload, LoadGenerator generator, long[] steps)
            throws Exception {
        say("==> growth: balance and history reads at " + (long) GROWTH_RATE + "/s as the ledger grows");
        // The app has just started: without this, the first size would measure the JIT compiler, not the reads.
        var warmUp = options.warmup().multipliedBy(6);
        generator.warmUp(8, warmUp, workload.operation("balance"));
        generator.warmUp(8, warmUp, workload.operation("history"));
        for (int i = 0; i < steps.length; i++) {
            if (i > 0) {
                long start = System.nanoTime();
                dataset.growTo(steps[i], Bench::say);
                report.run.put("seconds to grow to " + steps[i], String.format(Locale.ROOT, "%.0f",
                    (System.nanoTime() - start) / 1e9));
            }
            long entries = dataset.ledgerEntries();
            // A platform serving these members has their pages cached; a ledger just bulk-loaded has not. Without
            // this pass, 10^7 entries measured the first touch of each member's pages after the load had pushed
            // them out of memory (history: one journal_entries primary-key leaf read from disk per line, see
            // docs/performance.md), not the cost of a read at that size. The same pass runs at every size.
            var reads = workload.everyMembersReads();
            long warmStart = System.nanoTime();
            long failed = generator.once(8, reads);
            say(String.format(Locale.ROOT, "  every member's balance and history read once: %,d reads, %d failed, %.0f s",
                reads.size(), failed, (System.nanoTime() - warmStart) / 1e9));
            var balance = generator.open("balance", GROWTH_RATE, workload.operation("balance"));
            var history = generator.open("history", GROWTH_RATE, workload.operation("history"));
            report.growth.add(new Report.GrowthRow(entries, GROWTH_RATE, balance.latency(), history.latency()));
        }
    }

    private void throughput(Datasets.Baseline baseline, Workload workload, LoadGenerator generator,
            Map<String, Double> maxima, Set<Long> appPids) throws Exception {
        say("==> throughput (closed model) at " + options.clients() + " clients");
        // The JIT compiles each operation's code the first time it runs hot: without this pass the first measured
        // operation (earn at the fewest clients) paid for its own compilation, which a server in service has done.
        var warmUp = options.warmup().multipliedBy(4);
        for (var operation : OPERATIONS) {
            generator.warmUp(8, warmUp, workload.operation(operation));
        }
        say(String.format(Locale.ROOT, "  every operation warmed up for %d s at 8 clients", warmUp.toSeconds()));
        for (int clients : options.clients()) {
            baseline.warmUp(clients, options.warmup());
            var pgStart = CpuMeter.sample(appPids);
            var pgRun = baseline.closed(clients, options.measure());
            var pgCpu = Report.CpuPerOp.of(CpuMeter.sample(appPids).minus(pgStart), pgRun.transactions(), true);
            double pg = pgRun.tps();
            say(String.format(Locale.ROOT, "pgbench   closed %4d clients: %8.1f tx/s", baseline.clients(clients), pg));
            for (var operation : OPERATIONS) {
                var measured = generator.closed(operation, clients, workload.operation(operation));
                var cpu = Report.CpuPerOp.of(measured.cpu(), measured.succeeded() + measured.failed(), false);
                report.throughput.add(new Report.ThroughputRow(operation, clients, measured.throughput(),
                    measured.failed(), measured.latency(), cpu, baseline.clients(clients), pg, pgCpu));
                maxima.merge(operation, measured.throughput(), Math::max);
                warnOnFailures(measured);
            }
        }
    }

    private void latency(Datasets.Baseline baseline, Workload workload, LoadGenerator generator,
            Map<String, Double> maxima) throws Exception {
        say("==> latency (open model) at " + LOADS[0] * 100 + "% and " + LOADS[1] * 100 + "% of each maximum");
        for (var operation : OPERATIONS) {
            double max = maxima.getOrDefault(operation, 0.0);
            if (max <= 0) {
                continue;
            }
            for (double load : LOADS) {
                double rate = max * load;
                var measured = generator.open(operation, rate, workload.operation(operation));
                var pg = baseline.atRate(rate, RATE_CLIENTS, options.warmup(), options.measure());
                say(String.format(Locale.ROOT, "pgbench   -R %8.1f/s: p50 %6.1f  p99 %6.1f  max %7.1f ms", rate,
                    pg.p50(), pg.p99(), pg.max()));
                report.latency.add(new Report.LatencyRow(operation, load, rate, measured.throughput(),
                    measured.failed(), measured.latency(), pg));
                warnOnFailures(measured);
            }
        }
    }

    private void instances(AppInstance first, Datasets.Dataset dataset, LoadGenerator generator, Path results)
            throws Exception {
        int clients = options.clients().contains(32) ? 32 : options.clients().getLast();
        say("==> earn with 1 and 2 app instances, " + clients + " clients");
        var one = generator.closed("earn", clients,
            new Workload(new Http(List.of(first.url())), dataset.population()).operation("earn"));
        report.instances.add(new Report.InstancesRow(1, clients, one.throughput(), one.failed()));
        try (var second = startApp(options.port() + 1, results.resolve("app-2.log"), false, Map.of())) {
            var both = new Workload(new Http(List.of(first.url(), second.url())), dataset.population());
            // The second instance has just started: warm it like the first was before measuring both.
            generator.warmUp(clients, options.warmup().multipliedBy(6), both.operation("earn"));
            var two = generator.closed("earn", clients, both.operation("earn"));
            report.instances.add(new Report.InstancesRow(2, clients, two.throughput(), two.failed()));
        }
    }

    private void batch(Datasets.Dataset dataset, Path results) throws Exception {
        var sql = dataset.setBasedBaselines();
        say("==> batch: points expiry (baseline first, rolled back)");
        var expiryBaseline = sql.expiry();
        var expiry = new ExpiryWatch(database, Bench::say);
        long tenants = expiry.tenantsWithExpiredLots();
        try (var app = startApp(options.port(), results.resolve("app-expiry.log"), true,
                Map.of("pointbridge.points-jobs.initial-delay", "1s", "pointbridge.points-jobs.release-every", "24h",
                    "pointbridge.points-jobs.reminders-every", "24h"))) {
            var timed = expiry.await(tenants, Duration.ofHours(2));
            report.batch.add(new Report.BatchRow("points expiry", timed.rows(), timed.seconds(),
                expiryBaseline.rows(), expiryBaseline.seconds()));
        }
        say("==> batch: tier reviews (baseline first, rolled back)");
        var tierBaseline = sql.tierEvaluation();
        try (var app = startApp(options.port(), results.resolve("app-tiers.log"), false,
                Map.of("pointbridge.tiers.reviews.interval", "2s"))) {
            var timed = new JobWatch(database, Bench::say).await("tier reviews",
                "select count(*) from member_tiers where due_at <= now()", Duration.ofMinutes(2), Duration.ofHours(2));
            report.batch.add(new Report.BatchRow("tier reviews", timed.rows(), timed.seconds(), tierBaseline.rows(),
                tierBaseline.seconds()));
        }
        say("==> batch: a month's settlement statement of tenant " + dataset.adminTenantSlug());
        var to = LocalDate.now(ZoneOffset.UTC);
        var from = to.minusDays(30);
        var settlementBaseline = sql.settlement(dataset.adminTenantSlug(), from, to);
        try (var app = startApp(options.port(), results.resolve("app-settlement.log"), false, Map.of())) {
            var token = Keycloak.token("demo-admin", "demo-admin-pass");
            var client = HttpClient.newHttpClient();
            var request = HttpRequest.newBuilder(app.url().resolve("api/v1/exchange/settlement/statement?from=" + from
                + "&to=" + to)).header("Authorization", "Bearer " + token).GET().build();
            client.send(request, HttpResponse.BodyHandlers.discarding());
            long start = System.nanoTime();
            var response = client.send(request, HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - start) / 1e9;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("settlement statement answered " + response.statusCode() + ": "
                    + response.body());
            }
            report.batch.add(new Report.BatchRow("settlement (1 month)", settlementBaseline.rows(), seconds,
                settlementBaseline.rows(), settlementBaseline.seconds()));
        }
    }

    private void targets() {
        for (var row : report.throughput) {
            if (row.operation().equals("earn")) {
                report.targets.add(new Report.Target("earn at " + row.clients() + " clients vs pgbench",
                    ">= 0.5x", row.ratio(), 0.5, row.ratio() >= 0.5));
            }
            if (row.operation().equals("exchange")) {
                report.targets.add(new Report.Target("exchange transfer at " + row.clients() + " clients vs pgbench",
                    ">= 0.35x", row.ratio(), 0.35, row.ratio() >= 0.35));
            }
        }
        for (var row : report.latency) {
            if (row.operation().equals("earn") && row.loadFraction() == 0.5) {
                report.targets.add(new Report.Target("earn p99 at 50% load vs pgbench p99 at that rate", "<= 4x",
                    row.p99Ratio(), 4, row.p99Ratio() <= 4));
            }
        }
        if (report.growth.size() >= 2) {
            var first = report.growth.getFirst();
            var last = report.growth.getLast();
            double balance = last.balance().p50() / first.balance().p50();
            double history = last.history().p50() / first.history().p50();
            report.targets.add(new Report.Target("balance p50, largest vs smallest ledger", "within 20%", balance,
                1.2, Math.abs(balance - 1) <= 0.2));
            report.targets.add(new Report.Target("history p50, largest vs smallest ledger", "within 20%", history,
                1.2, Math.abs(history - 1) <= 0.2));
        }
        for (var row : report.batch) {
            if (row.job().equals("points expiry")) {
                report.targets.add(new Report.Target("expiry rows/s vs set-based SQL", ">= 0.3x", row.ratio(), 0.3,
                    row.ratio() >= 0.3));
            }
        }
    }

    private static void warnOnFailures(Measurement measured) {
        if (measured.failed() > 0) {
            say("  ! " + measured.failed() + " failed; first: " + measured.firstFailure());
        }
    }
}
