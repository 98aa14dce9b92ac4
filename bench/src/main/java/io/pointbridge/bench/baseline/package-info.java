/**
 * The same-run baselines every application figure is printed beside: pgbench running an earn in plain SQL, and
 * one set-based SQL statement per batch job over the rows the job works on.
 */
package io.pointbridge.bench.baseline;
