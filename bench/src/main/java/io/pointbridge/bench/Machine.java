package io.pointbridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.pointbridge.bench.batch.Database;

/** What the run ran on, for the results: figures mean little without the machine beside them. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe(BenchOptions options) {
        var facts = new LinkedHashMap<String, Object>();
        facts.put("cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        facts.put("memory", os.getTotalMemorySize() / (1024 * 1024 * 1024) + " GiB");
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        facts.put("postgresql", postgres(options));
        facts.put("command", "bench/run " + String.join(" ", options.arguments()));
        return facts;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String postgres(BenchOptions options) {
        var url = "jdbc:postgresql://" + options.pgHost() + ":" + options.pgPort() + "/postgres";
        try (var connection = new Database(url).connect();
                var statement = connection.createStatement();
                var rows = statement.executeQuery("select current_setting('server_version'), "
                    + "current_setting('shared_buffers'), current_setting('max_connections'), "
                    + "current_setting('synchronous_commit')")) {
            rows.next();
            return rows.getString(1) + " (shared_buffers " + rows.getString(2) + ", max_connections "
                + rows.getString(3) + ", synchronous_commit " + rows.getString(4) + ")";
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
