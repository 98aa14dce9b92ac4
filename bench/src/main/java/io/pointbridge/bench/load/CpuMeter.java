package io.pointbridge.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time spent by the processes of a measurement, from {@code /proc} (Linux): the app instances, this load
 * generator, PostgreSQL's processes and pgbench. On a machine where all of them share two cores, where the CPU
 * went per operation says more about a ratio than the ratio alone.
 */
public final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100.0;

    private CpuMeter() {
    }

    /**
     * CPU seconds so far of each group of processes, and of the whole machine ({@code /proc/stat}): processes that
     * ended in between (pgbench's connections' backends) are gone from {@code /proc} but not from the machine's.
     */
    public record Sample(double app, double client, double postgres, double pgbench, double machine) {

        public Sample minus(Sample before) {
            return new Sample(app - before.app, client - before.client, postgres - before.postgres,
                pgbench - before.pgbench, machine - before.machine);
        }
    }

    /** Reads the CPU seconds of the app processes (by pid), this process, and every postgres and pgbench process. */
    public static Sample sample(Set<Long> appPids) {
        double app = 0;
        double postgres = 0;
        double pgbench = 0;
        double client = seconds(ProcessHandle.current().pid());
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (var entry : entries.toList()) {
                var name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (appPids.contains(pid)) {
                    app += seconds(pid);
                    continue;
                }
                var command = command(pid);
                if (command.equals("postgres")) {
                    postgres += seconds(pid);
                } else if (command.equals("pgbench")) {
                    pgbench += seconds(pid);
                }
            }
        } catch (IOException e) {
            return new Sample(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Sample(app, client, postgres, pgbench, machine());
    }

    /** Busy CPU seconds of the machine: user, nice, system, irq, softirq and steal time of all cores. */
    private static double machine() {
        try {
            var fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(fields[i]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String command(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
        } catch (IOException gone) {
            return "";
        }
    }

    /** utime + stime of the process, children that have exited not included. */
    private static double seconds(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            var fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            // After the command: state is field 3 of stat(5), so utime (14) and stime (15) are at 11 and 12 here.
            return (Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12))) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
