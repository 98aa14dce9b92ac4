package io.pointbridge.tenant.tier;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A member's qualifying counters over a window: {@code spend} (minor units of the program's purchase currency),
 * {@code orders}, {@code points} (earned on purchases) and any {@code custom:<name>} counter integrations
 * report. Refunds can take a window's sum below zero; it counts as zero.
 */
public record Counters(Map<String, Long> values) {

    public static final String SPEND = "spend";
    public static final String ORDERS = "orders";
    public static final String POINTS = "points";

    private static final Pattern CUSTOM = Pattern.compile("custom:[a-z][a-z0-9-]{0,31}");

    public Counters {
        var kept = new TreeMap<String, Long>();
        values.forEach((counter, value) -> kept.put(counter, Math.max(0, value)));
        values = Collections.unmodifiableMap(kept);
    }

    public long get(String counter) {
        return values.getOrDefault(counter, 0L);
    }

    /** Whether a qualification may name this counter. */
    public static boolean isKnown(String counter) {
        return SPEND.equals(counter) || ORDERS.equals(counter) || POINTS.equals(counter) || isCustom(counter);
    }

    public static boolean isCustom(String counter) {
        return CUSTOM.matcher(counter).matches();
    }
}
