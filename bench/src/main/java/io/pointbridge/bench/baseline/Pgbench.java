package io.pointbridge.bench.baseline;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The same-run baseline for earning: {@code pgbench} running {@code bench/pgbench/earn.sql} (one earn at the
 * minimum, in SQL, for a random seeded member) against the benchmark's database, at the load generator's
 * concurrency. It runs as the superuser, so row-level security costs it nothing; the application pays for it.
 *
 * <p>Two models, like the load generator: {@link #closed} (N clients back to back, for throughput) and
 * {@link #fixedRate} (transactions scheduled at a fixed rate, for latency). Under {@code --rate} pgbench measures
 * each transaction's latency from the time it was scheduled to start, not from when a client got round to it, so
 * a stall delays the schedule and is counted in every transaction that waited for it: the percentiles do not hide
 * coordinated omission, and compare with an open-model load generator's.
 */
public final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");
    private static final Pattern LAG = Pattern.compile("rate limit schedule lag: avg ([0-9.]+) \\(max ([0-9.]+)\\) ms");

    private final Path executable;
    private final Path script;
    private final Target target;
    private final long members;
    private final int threads;

    /**
     * @param executable the pgbench binary (e.g. {@code /usr/bin/pgbench})
     * @param script     the earn script ({@link #earnScript()})
     * @param jdbcUrl    the benchmark database, {@code jdbc:postgresql://host:port/database}
     * @param members    how many members {@code bench.members} holds ({@link io.pointbridge.bench.seed.SeedData#pgbenchMembers()})
     * @param threads    pgbench worker threads ({@code -j}); 2 on a two-core machine
     */
    public Pgbench(Path executable, Path script, String jdbcUrl, long members, int threads) {
        if (members < 1) {
            throw new IllegalArgumentException("pgbench needs seeded members to pick from");
        }
        this.executable = executable;
        this.script = script;
        this.target = Target.of(jdbcUrl);
        this.members = members;
        this.threads = threads;
    }

    /** {@code bench/pgbench/earn.sql}, looked for from the working directory (the repository or bench/). */
    public static Path earnScript() {
        for (var candidate : List.of(Path.of("bench/pgbench/earn.sql"), Path.of("pgbench/earn.sql"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("bench/pgbench/earn.sql not found from " + Path.of("").toAbsolutePath());
    }

    /** Closed model: what {@code clients} clients running earns back to back for {@code duration} achieved. */
    public record Throughput(int clients, Duration duration, long transactions, long failed, double tps,
            double latencyAverageMillis) {

        public String describe() {
            return String.format(Locale.ROOT, "pgbench earn, %d clients, %d s: %,.0f tps (%,d earns, %d failed, "
                + "mean %.2f ms)", clients, duration.toSeconds(), tps, transactions, failed, latencyAverageMillis);
        }
    }

    /**
     * Open model: earns scheduled at {@code rate} per second for {@code duration}, served by {@code clients}
     * clients, with their latency from the scheduled start (milliseconds).
     */
    public record Latencies(double rate, int clients, Duration duration, long transactions, long failed,
            double achievedTps, double p50Millis, double p95Millis, double p99Millis, double maxMillis,
            double meanScheduleLagMillis, double maxScheduleLagMillis) {

        public String describe() {
            return String.format(Locale.ROOT, "pgbench earn at %,.0f/s, %d clients, %d s: %,.0f tps, p50 %.2f ms, "
                    + "p95 %.2f ms, p99 %.2f ms, max %.2f ms (schedule lag mean %.2f ms, max %.2f ms; %d failed)", rate,
                clients, duration.toSeconds(), achievedTps, p50Millis, p95Millis, p99Millis, maxMillis,
                meanScheduleLagMillis, maxScheduleLagMillis, failed);
        }
    }

    /** {@code pgbench -c N -j threads -T seconds -M prepared -n}: as many earns as the clients can run. */
    public Throughput closed(int clients, Duration duration) throws IOException, InterruptedException {
        var output = run(clients, duration, List.of());
        return new Throughput(clients, duration, find(PROCESSED, output).map(Long::parseLong).orElse(0L),
            find(FAILED, output).map(Long::parseLong).orElse(0L), find(TPS, output).map(Double::parseDouble).orElseThrow(
                () -> new IOException("no tps in pgbench's output:\n" + output)),
            find(LATENCY, output).map(Double::parseDouble).orElse(Double.NaN));
    }

    /**
     * {@code pgbench -R rate} with every transaction logged ({@code -l}) into a temporary directory, from which the
     * percentiles are computed; the logs are deleted afterwards.
     */
    public Latencies fixedRate(double rate, int clients, Duration duration) throws IOException, InterruptedException {
        var logs = Files.createTempDirectory("pgbench-earn-");
        try {
            var output = run(clients, duration, List.of("-R", String.format(Locale.ROOT, "%.3f", rate), "-l",
                "--log-prefix=" + logs.resolve("earn")));
            var histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
            long lagTotal = 0;
            long lagMax = 0;
            long failed = 0;
            long transactions = 0;
            try (var files = Files.list(logs)) {
                for (var file : files.sorted().toList()) {
                    for (var line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                        var fields = line.trim().split("\\s+");
                        if (fields.length < 7) {
                            continue;
                        }
                        // client transaction latency(µs, from the scheduled start) script epoch µs lag(µs);
                        // "failed" or "skipped" in place of the latency for transactions that did not complete.
                        if (!fields[2].chars().allMatch(Character::isDigit)) {
                            failed++;
                            continue;
                        }
                        transactions++;
                        histogram.recordValue(Math.min(Long.parseLong(fields[2]), histogram.getHighestTrackableValue()));
                        long lag = Long.parseLong(fields[6]);
                        lagTotal += lag;
                        lagMax = Math.max(lagMax, lag);
                    }
                }
            }
            return new Latencies(rate, clients, duration, transactions, failed,
                find(TPS, output).map(Double::parseDouble).orElse(Double.NaN), millis(histogram.getValueAtPercentile(50)),
                millis(histogram.getValueAtPercentile(95)), millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getMaxValue()), transactions == 0 ? 0 : lagTotal / 1000.0 / transactions,
                lagMax / 1000.0);
        } finally {
            try (var files = Files.walk(logs)) {
                for (var file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * Runs the baseline alone: {@code --jdbc-url URL --members N [--clients 8] [--seconds 10] [--rate R]
     * [--script bench/pgbench/earn.sql] [--pgbench /usr/bin/pgbench]}: the closed model, then the fixed rate
     * (by default half the closed model's throughput).
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String url = null;
        long members = 0;
        int clients = 8;
        int seconds = 10;
        double rate = 0;
        Path script = null;
        var executable = Path.of("/usr/bin/pgbench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jdbc-url" -> url = args[++i];
                case "--members" -> members = Long.parseLong(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--script" -> script = Path.of(args[++i]);
                case "--pgbench" -> executable = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--jdbc-url is required");
        }
        var pgbench = new Pgbench(executable, script == null ? earnScript() : script, url, members, 2);
        var closed = pgbench.closed(clients, Duration.ofSeconds(seconds));
        System.out.println(closed.describe());
        var open = pgbench.fixedRate(rate > 0 ? rate : Math.max(1, Math.floor(closed.tps() / 2)), clients,
            Duration.ofSeconds(seconds));
        System.out.println(open.describe());
    }

    private String run(int clients, Duration duration, List<String> extra) throws IOException, InterruptedException {
        var command = new ArrayList<String>(List.of(executable.toString(), "-h", target.host(), "-p",
            String.valueOf(target.port()), "-U", target.user(), "-n", "-M", "prepared", "-f", script.toString(), "-D",
            "members=" + members, "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(threads, clients)), "-T",
            String.valueOf(Math.max(1, duration.toSeconds()))));
        command.addAll(extra);
        command.add(target.database());
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("pgbench failed (" + String.join(" ", command) + "):\n" + output);
        }
        return output;
    }

    private static Optional<String> find(Pattern pattern, String output) {
        var matcher = pattern.matcher(output);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }

    /** Where pgbench connects: host, port, database and user of a JDBC URL (user postgres unless it names one). */
    record Target(String host, int port, String database, String user) {

        static Target of(String jdbcUrl) {
            if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
            }
            var uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            var user = Stream.ofNullable(uri.getQuery()).flatMap(query -> Stream.of(query.split("&")))
                .filter(parameter -> parameter.startsWith("user=")).map(parameter -> parameter.substring(5))
                .findFirst().orElse("postgres");
            return new Target(uri.getHost() == null ? "127.0.0.1" : uri.getHost(),
                uri.getPort() < 0 ? 5432 : uri.getPort(), uri.getPath().substring(1), user);
        }
    }
}
