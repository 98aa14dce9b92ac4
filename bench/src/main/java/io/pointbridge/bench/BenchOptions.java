package io.pointbridge.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The benchmark's command line ({@code bench/run --help}).
 *
 * @param size      {@code small} (the whole run in about five minutes) or {@code default} (the published figures)
 * @param clients   closed-model concurrencies
 * @param warmup    warm-up before each measurement, thrown away
 * @param measure   length of each measurement
 * @param skip      phases left out: growth, throughput, latency, batch, instances
 */
record BenchOptions(String size, List<Integer> clients, Duration warmup, Duration measure, Set<String> skip,
        String database, int port, Path jar, Path javaHome, Path out, String pgHost, int pgPort,
        List<String> arguments) {

    static final Set<String> PHASES = Set.of("growth", "throughput", "latency", "batch", "instances");

    static BenchOptions parse(String[] args) {
        String size = "small";
        String clients = "8,32,128";
        Integer warmup = null;
        Integer measure = null;
        String skip = "";
        String database = "pointbridge_bench";
        int port = 18080;
        Path jar = Path.of("app/target/pointbridge-app-0.1.0-SNAPSHOT.jar");
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path out = Path.of("bench/results");
        String pgHost = "127.0.0.1";
        int pgPort = 5432;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--size" -> size = required(arg, value);
                case "--clients" -> clients = required(arg, value);
                case "--warmup" -> warmup = Integer.parseInt(required(arg, value));
                case "--measure" -> measure = Integer.parseInt(required(arg, value));
                case "--skip" -> skip = required(arg, value);
                case "--database" -> database = required(arg, value);
                case "--port" -> port = Integer.parseInt(required(arg, value));
                case "--jar" -> jar = Path.of(required(arg, value));
                case "--java-home" -> javaHome = Path.of(required(arg, value));
                case "--out" -> out = Path.of(required(arg, value));
                case "--pg-host" -> pgHost = required(arg, value);
                case "--pg-port" -> pgPort = Integer.parseInt(required(arg, value));
                case "--help", "-h" -> throw new Usage(null);
                default -> throw new Usage("unknown option " + arg);
            }
            i++;
        }
        if (!size.equals("small") && !size.equals("default")) {
            throw new Usage("--size is small or default");
        }
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new Usage("--database is a plain lower-case name");
        }
        boolean small = size.equals("small");
        var skipped = Arrays.stream(skip.split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
        if (!PHASES.containsAll(skipped)) {
            throw new Usage("--skip takes " + PHASES);
        }
        var clientCounts = Arrays.stream(clients.split(",")).map(String::trim).map(Integer::parseInt).toList();
        return new BenchOptions(size, clientCounts, Duration.ofSeconds(warmup != null ? warmup : small ? 2 : 5),
            Duration.ofSeconds(measure != null ? measure : small ? 4 : 15), skipped, database, port, jar, javaHome,
            out, pgHost, pgPort, Arrays.stream(args).filter(a -> !a.equals("--java-home") && !a.equals("--jar")
                && !a.startsWith("/")).toList());
    }

    boolean runs(String phase) {
        return !skip.contains(phase);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new Usage(option + " needs a value");
        }
        return value;
    }

    /** A command line that does not parse; the message says why, and the usage follows. */
    static final class Usage extends RuntimeException {

        Usage(String message) {
            super(message);
        }

        static final String TEXT = """
            Usage: bench/run [options]

              --size small|default   data set and run length (small: ~5 minutes; default: the published run)
              --clients 8,32,128     closed-model concurrencies for the throughput table
              --warmup S, --measure S
                                     seconds of warm-up (thrown away) and of measurement per figure
              --skip PHASES          leave out some of: growth,throughput,latency,batch,instances
              --database NAME        the database it (re)creates for the run (pointbridge_bench)
              --port N               first port for the app instances (18080)
              --jar PATH             the app jar (app/target/pointbridge-app-0.1.0-SNAPSHOT.jar)
              --out DIR              where results go (bench/results)
            """;
    }
}
