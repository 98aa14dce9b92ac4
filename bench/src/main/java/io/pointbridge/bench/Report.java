package io.pointbridge.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pointbridge.bench.load.Latency;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a run measured: printed as tables (every HTTP figure beside its same-run baseline and their ratio) and
 * written as JSON for docs/performance.md and for comparing runs.
 */
final class Report {

    /** Closed model: HTTP throughput beside pgbench's earn-equivalent at the same number of clients. */
    record ThroughputRow(String operation, int clients, double httpPerSecond, long failed, Latency latency,
            CpuPerOp cpu, int baselineClients, double baselinePerSecond, CpuPerOp baselineCpu) {

        @JsonProperty
        double ratio() {
            return httpPerSecond / baselinePerSecond;
        }
    }

    /**
     * CPU milliseconds per operation: the app (or nothing, for pgbench), the client (load generator or pgbench)
     * and PostgreSQL.
     */
    record CpuPerOp(double app, double client, double postgres, double machine) {

        static CpuPerOp of(io.pointbridge.bench.load.CpuMeter.Sample used, double operations, boolean pgbench) {
            return new CpuPerOp(1000 * used.app() / operations,
                1000 * (pgbench ? used.pgbench() : used.client()) / operations, 1000 * used.postgres() / operations,
                1000 * used.machine() / operations);
        }
    }

    /** Open model: latency at a fixed arrival rate, beside pgbench's at the same rate. */
    record LatencyRow(String operation, double loadFraction, double ratePerSecond, double achievedPerSecond,
            long failed, Latency http, Latency baseline) {

        @JsonProperty
        double p99Ratio() {
            return http.p99() / baseline.p99();
        }
    }

    /** A batch job of the product beside one set-based SQL statement over the same rows. */
    record BatchRow(String job, long rows, double seconds, long baselineRows, double baselineSeconds) {

        @JsonProperty
        double rowsPerSecond() {
            return rows / seconds;
        }

        @JsonProperty
        double baselineRowsPerSecond() {
            return baselineRows / baselineSeconds;
        }

        @JsonProperty
        double ratio() {
            return rowsPerSecond() / baselineRowsPerSecond();
        }
    }

    /** Reads at one size of the ledger (open model, fixed rate). */
    record GrowthRow(long ledgerEntries, double ratePerSecond, Latency balance, Latency history) {
    }

    /** Earn throughput with this many app instances against the one database. */
    record InstancesRow(int instances, int clients, double earnPerSecond, long failed) {
    }

    /** One of the targets, met or not. */
    record Target(String name, String rule, double measured, double limit, boolean met) {
    }

    final Map<String, Object> run = new LinkedHashMap<>();
    final List<ThroughputRow> throughput = new ArrayList<>();
    final List<LatencyRow> latency = new ArrayList<>();
    final List<BatchRow> batch = new ArrayList<>();
    final List<GrowthRow> growth = new ArrayList<>();
    final List<InstancesRow> instances = new ArrayList<>();
    final List<Target> targets = new ArrayList<>();

    void print(PrintStream out) {
        out.println();
        out.println("== Pointbridge benchmark ==");
        run.forEach((k, v) -> out.printf(Locale.ROOT, "  %-16s %s%n", k, v));
        if (!throughput.isEmpty()) {
            out.println();
            out.println("Throughput, closed model (ops/s; baseline: pgbench earn-equivalent at the same clients)");
            out.printf(Locale.ROOT, "  %-9s %7s %10s %10s %7s %7s %8s %8s %7s | %-22s | %-14s%n", "operation",
                "clients", "http/s", "pgbench/s", "(pg c)", "ratio", "p50 ms", "p99 ms", "failed",
                "CPU ms/op app,cli,pg,all", "pgbench all");
            for (var row : throughput) {
                out.printf(Locale.ROOT, "  %-9s %7d %10.1f %10.1f %7s %6.2fx %8.1f %8.1f %7d | %4.2f %4.2f %4.2f %5.2f | %5.2f%n",
                    row.operation(), row.clients(), row.httpPerSecond(), row.baselinePerSecond(),
                    "(" + row.baselineClients() + ")", row.ratio(), row.latency().p50(), row.latency().p99(),
                    row.failed(), row.cpu().app(), row.cpu().client(), row.cpu().postgres(), row.cpu().machine(),
                    row.baselineCpu().machine());
            }
        }
        if (!latency.isEmpty()) {
            out.println();
            out.println("Latency, open model at a fixed arrival rate (ms, counted from the due time; baseline: pgbench -R)");
            out.printf(Locale.ROOT, "  %-9s %5s %8s %8s %7s %7s %7s %8s | %7s %7s %8s %7s%n", "operation", "load",
                "rate/s", "done/s", "p50", "p95", "p99", "max", "pg p50", "pg p99", "pg max", "p99 x");
            for (var row : latency) {
                out.printf(Locale.ROOT, "  %-9s %4.0f%% %8.1f %8.1f %7.1f %7.1f %7.1f %8.1f | %7.1f %7.1f %8.1f %6.2fx%n",
                    row.operation(), row.loadFraction() * 100, row.ratePerSecond(), row.achievedPerSecond(),
                    row.http().p50(), row.http().p95(), row.http().p99(), row.http().max(), row.baseline().p50(),
                    row.baseline().p99(), row.baseline().max(), row.p99Ratio());
            }
        }
        if (!batch.isEmpty()) {
            out.println();
            out.println("Batch jobs (rows/s; baseline: one set-based SQL statement over the same rows, rolled back)");
            out.printf(Locale.ROOT, "  %-22s %10s %9s %11s %11s %7s%n", "job", "rows", "seconds", "rows/s",
                "baseline/s", "ratio");
            for (var row : batch) {
                out.printf(Locale.ROOT, "  %-22s %10d %9.2f %11.0f %11.0f %6.2fx%n", row.job(), row.rows(),
                    row.seconds(), row.rowsPerSecond(), row.baselineRowsPerSecond(), row.ratio());
            }
        }
        if (!growth.isEmpty()) {
            out.println();
            out.println("Growth: reads as the ledger grows (open model, ms)");
            out.printf(Locale.ROOT, "  %12s %7s | %8s %8s %8s | %8s %8s %8s%n", "entries", "rate/s", "bal p50",
                "bal p99", "bal max", "hist p50", "hist p99", "hist max");
            for (var row : growth) {
                out.printf(Locale.ROOT, "  %12d %7.0f | %8.2f %8.2f %8.1f | %8.2f %8.2f %8.1f%n", row.ledgerEntries(),
                    row.ratePerSecond(), row.balance().p50(), row.balance().p99(), row.balance().max(),
                    row.history().p50(), row.history().p99(), row.history().max());
            }
        }
        if (!instances.isEmpty()) {
            out.println();
            out.println("Earn with more app instances against one database (closed model)");
            for (var row : instances) {
                out.printf(Locale.ROOT, "  %d instance(s), %d clients: %8.1f earn/s  failed %d%n", row.instances(),
                    row.clients(), row.earnPerSecond(), row.failed());
            }
        }
        if (!targets.isEmpty()) {
            out.println();
            out.println("Targets");
            for (var target : targets) {
                out.printf(Locale.ROOT, "  [%s] %-52s %-12s measured %.2f (limit %.2f)%n", target.met() ? "met " : "MISS",
                    target.name(), target.rule(), target.measured(), target.limit());
            }
        }
        out.println();
    }

    void write(Path file) throws IOException {
        var json = new LinkedHashMap<String, Object>();
        json.put("run", run);
        json.put("throughput", throughput);
        json.put("latency", latency);
        json.put("batch", batch);
        json.put("growth", growth);
        json.put("instances", instances);
        json.put("targets", targets);
        Files.createDirectories(file.toAbsolutePath().getParent());
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(file.toFile(), json);
    }
}
