package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.tier.TierFailures.TierQualificationInvalid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * What a member needs to reach a tier: conditions "counter at least N" combined with {@code all} (AND) and
 * {@code any} (OR). In JSON: {@code {"counter": "spend", "atLeast": 50000}}, {@code {"all": [...]}} and
 * {@code {"any": [...]}}.
 *
 * <p>Every qualification is monotone (more activity never disqualifies), so it is described exactly by its
 * minimal {@link #ways() ways}: the least counters that meet it. Schemes are checked through them, and members
 * are told through them what they are missing.
 */
public sealed interface Qualification permits Qualification.All, Qualification.Any, Qualification.AtLeast {

    /** Deepest nesting allowed: e.g. any of (a condition, all of (two conditions)) is depth 3. */
    int MAX_DEPTH = 3;
    int MAX_CONDITIONS = 8;
    long MAX_THRESHOLD = 1_000_000_000_000L;

    boolean isMetBy(Counters counters);

    /**
     * The minimal ways to meet this qualification, each the counters (and their least values) that together
     * meet it; no way asks for more than another in every counter.
     */
    List<Map<String, Long>> ways();

    int depth();

    int conditions();

    record All(List<Qualification> all) implements Qualification {
        public All {
            all = List.copyOf(all);
        }

        @Override
        public boolean isMetBy(Counters counters) {
            return all.stream().allMatch(part -> part.isMetBy(counters));
        }

        @Override
        public List<Map<String, Long>> ways() {
            List<Map<String, Long>> ways = List.of(Map.of());
            for (var part : all) {
                var combined = new ArrayList<Map<String, Long>>();
                for (var way : ways) {
                    for (var partWay : part.ways()) {
                        var both = new TreeMap<>(way);
                        partWay.forEach((counter, value) -> both.merge(counter, value, Math::max));
                        combined.add(both);
                    }
                }
                ways = minimal(combined);
            }
            return ways;
        }

        @Override
        public int depth() {
            return 1 + all.stream().mapToInt(Qualification::depth).max().orElse(0);
        }

        @Override
        public int conditions() {
            return all.stream().mapToInt(Qualification::conditions).sum();
        }
    }

    record Any(List<Qualification> any) implements Qualification {
        public Any {
            any = List.copyOf(any);
        }

        @Override
        public boolean isMetBy(Counters counters) {
            return any.stream().anyMatch(part -> part.isMetBy(counters));
        }

        @Override
        public List<Map<String, Long>> ways() {
            return minimal(any.stream().flatMap(part -> part.ways().stream()).toList());
        }

        @Override
        public int depth() {
            return 1 + any.stream().mapToInt(Qualification::depth).max().orElse(0);
        }

        @Override
        public int conditions() {
            return any.stream().mapToInt(Qualification::conditions).sum();
        }
    }

    record AtLeast(String counter, long atLeast) implements Qualification {

        @Override
        public boolean isMetBy(Counters counters) {
            return counters.get(counter) >= atLeast;
        }

        @Override
        public List<Map<String, Long>> ways() {
            return List.of(Map.of(counter, atLeast));
        }

        @Override
        public int depth() {
            return 1;
        }

        @Override
        public int conditions() {
            return 1;
        }
    }

    /** What is still missing, per way of meeting this qualification: empty maps mean it is met. */
    default List<Map<String, Long>> missing(Counters counters) {
        return ways().stream().map(way -> {
            var lacking = new TreeMap<String, Long>();
            way.forEach((counter, least) -> {
                if (counters.get(counter) < least) {
                    lacking.put(counter, least - counters.get(counter));
                }
            });
            return (Map<String, Long>) lacking;
        }).toList();
    }

    /**
     * Reads a qualification from its JSON form, refusing anything else with the path of the first mistake,
     * e.g. {@code levels[2].qualification.any[1].atLeast}.
     */
    static Qualification parse(JsonNode node, String path) {
        var parsed = read(node, path);
        if (parsed.depth() > MAX_DEPTH) {
            throw new TierQualificationInvalid(path, "nests all/any " + (parsed.depth() - 1)
                + " levels deep; at most " + (MAX_DEPTH - 1) + " are allowed");
        }
        if (parsed.conditions() > MAX_CONDITIONS) {
            throw new TierQualificationInvalid(path, "has " + parsed.conditions() + " conditions; at most "
                + MAX_CONDITIONS + " are allowed");
        }
        return parsed;
    }

    private static Qualification read(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new TierQualificationInvalid(path, "must be an object: {\"counter\": ..., \"atLeast\": ...}, "
                + "{\"all\": [...]} or {\"any\": [...]}");
        }
        var names = Set.copyOf(node.propertyNames());
        if (names.equals(Set.of("all")) || names.equals(Set.of("any"))) {
            var kind = names.iterator().next();
            var parts = node.get(kind);
            if (!parts.isArray() || parts.isEmpty()) {
                throw new TierQualificationInvalid(path + "." + kind, "must be a non-empty list of conditions");
            }
            var read = new ArrayList<Qualification>();
            int i = 0;
            for (var part : parts) {
                read.add(read(part, path + "." + kind + "[" + i++ + "]"));
            }
            return kind.equals("all") ? new All(read) : new Any(read);
        }
        if (names.equals(Set.of("counter", "atLeast"))) {
            var counter = node.get("counter");
            if (!counter.isString() || !Counters.isKnown(counter.stringValue())) {
                throw new TierQualificationInvalid(path + ".counter", "must be spend, orders, points or custom:<name> "
                    + "(lower-case letters, digits and -)");
            }
            var least = node.get("atLeast");
            if (!least.isIntegralNumber() || !least.canConvertToLong() || least.longValue() < 1
                    || least.longValue() > MAX_THRESHOLD) {
                throw new TierQualificationInvalid(path + ".atLeast", "must be a whole number from 1 to " + MAX_THRESHOLD);
            }
            return new AtLeast(counter.stringValue(), least.longValue());
        }
        throw new TierQualificationInvalid(path, "must have exactly \"counter\" and \"atLeast\", or only \"all\", "
            + "or only \"any\"; found " + new java.util.TreeSet<>(names));
    }

    /** Drops every way that asks for at least as much as another in every counter. */
    private static List<Map<String, Long>> minimal(List<Map<String, Long>> ways) {
        var distinct = new ArrayList<>(new LinkedHashSet<>(ways));
        var kept = new ArrayList<Map<String, Long>>();
        for (var way : distinct) {
            boolean dominated = distinct.stream().anyMatch(other -> !other.equals(way) && covers(way, other));
            if (!dominated) {
                kept.add(way);
            }
        }
        return List.copyOf(kept);
    }

    /** Whether {@code way} asks at least what {@code other} asks, in every counter {@code other} names. */
    private static boolean covers(Map<String, Long> way, Map<String, Long> other) {
        return other.entrySet().stream().allMatch(need -> way.getOrDefault(need.getKey(), 0L) >= need.getValue());
    }

    /** The counters of a way, as a member who has exactly them. */
    static Counters counters(Map<String, Long> way) {
        return new Counters(new HashMap<>(way));
    }
}
