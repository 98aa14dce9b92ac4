package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.tier.TierFailures.FieldError;
import io.pointbridge.tenant.tier.TierFailures.TierCodesNotUnique;
import io.pointbridge.tenant.tier.TierFailures.TierCountOutOfRange;
import io.pointbridge.tenant.tier.TierFailures.TierMultipliersDecreasing;
import io.pointbridge.tenant.tier.TierFailures.TierNamesNotUnique;
import io.pointbridge.tenant.tier.TierFailures.TierQualificationInvalid;
import io.pointbridge.tenant.tier.TierFailures.TierThresholdsNotIncreasing;
import io.pointbridge.tenant.tier.TierFailures.TierThresholdsOverlap;
import io.pointbridge.tenant.tier.TierFailures.TierWindowInvalid;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A program's tiers: 3 to 5 levels, each harder to reach than the one below, decided on activity over a
 * window, held until the review at the end of the period, then kept for {@code graceDays} more days when the
 * member falls short, before the downgrade.
 *
 * @param version   counts the scheme's changes, starting at 1
 * @param timeZone  where calendar periods and grace days begin and end
 * @param updatedAt when this version was saved
 */
public record TierScheme(UUID programId, int version, TierWindow window, ZoneId timeZone, int graceDays,
        List<TierLevel> levels, Instant updatedAt) {

    public static final int MIN_LEVELS = 3;
    public static final int MAX_LEVELS = 5;
    public static final int MAX_GRACE_DAYS = 365;
    static final BigDecimal MAX_MULTIPLIER = BigDecimal.TEN;

    public TierScheme {
        levels = List.copyOf(levels);
    }

    /** A scheme as an admin asks for it; it checks itself as a whole and refuses with the first kind of mistake. */
    public record Settings(TierWindow window, ZoneId timeZone, int graceDays, List<LevelSettings> levels) {

        public Settings {
            levels = List.copyOf(levels);
            checkWindow(window);
            if (graceDays < 0 || graceDays > MAX_GRACE_DAYS) {
                throw new InvalidRequest("graceDays", "must be between 0 and " + MAX_GRACE_DAYS);
            }
            checkLevels(levels);
        }
    }

    /** One level as an admin asks for it, lowest first. */
    public record LevelSettings(String code, String name, BigDecimal multiplier, Qualification qualification) {
    }

    /** The highest level the counters reach; levels are nested, so that is also the number of levels they meet. */
    public int qualifiedLevel(Counters counters) {
        for (int i = levels.size() - 1; i > 0; i--) {
            if (levels.get(i).qualification().isMetBy(counters)) {
                return i + 1;
            }
        }
        return 1;
    }

    /** The level with this number, or the top level if the scheme has fewer now than when a member reached it. */
    public TierLevel level(int level) {
        return levels.get(clamp(level) - 1);
    }

    public int clamp(int level) {
        return Math.max(1, Math.min(level, levels.size()));
    }

    public int top() {
        return levels.size();
    }

    /** The end of a grace period that starts at {@code review}, in whole days of the scheme's time zone. */
    public Instant graceEnd(Instant review) {
        return review.atZone(timeZone).plusDays(graceDays).toInstant();
    }

    private static void checkWindow(TierWindow window) {
        if (window.months() < 1 || window.months() > TierWindow.MAX_MONTHS) {
            throw new TierWindowInvalid("window.months", "must be between 1 and " + TierWindow.MAX_MONTHS);
        }
        if (window.kind() == TierWindow.Kind.CALENDAR && 12 % window.months() != 0) {
            throw new TierWindowInvalid("window.months", "a calendar window divides the year evenly: 1, 2, 3, 4, 6 or 12"
                + " months, not " + window.months());
        }
    }

    private static void checkLevels(List<LevelSettings> levels) {
        if (levels.size() < MIN_LEVELS || levels.size() > MAX_LEVELS) {
            throw new TierCountOutOfRange(levels.size());
        }
        var codes = new HashSet<String>();
        var names = new HashSet<String>();
        var sameCodes = new ArrayList<FieldError>();
        var sameNames = new ArrayList<FieldError>();
        for (int i = 0; i < levels.size(); i++) {
            var level = levels.get(i);
            if (!codes.add(level.code())) {
                sameCodes.add(new FieldError(field(i, "code"), "'" + level.code() + "' names another tier of this program"));
            }
            if (!names.add(level.name().strip().toLowerCase(Locale.ROOT))) {
                sameNames.add(new FieldError(field(i, "name"), "'" + level.name() + "' names another tier of this program"));
            }
            var multiplier = level.multiplier();
            if (multiplier.compareTo(BigDecimal.ONE) < 0 || multiplier.compareTo(MAX_MULTIPLIER) > 0
                    || multiplier.stripTrailingZeros().scale() > 2) {
                throw new InvalidRequest(field(i, "multiplier"), "must be from 1 to 10 with at most 2 decimals");
            }
        }
        if (!sameCodes.isEmpty()) {
            throw new TierCodesNotUnique(sameCodes);
        }
        if (!sameNames.isEmpty()) {
            throw new TierNamesNotUnique(sameNames);
        }
        if (levels.getFirst().qualification() != null) {
            throw new TierQualificationInvalid(field(0, "qualification"),
                "the entry tier is where every member starts: it has no qualification");
        }
        for (int i = 1; i < levels.size(); i++) {
            if (levels.get(i).qualification() == null) {
                throw new TierQualificationInvalid(field(i, "qualification"), "is required above the entry tier");
            }
        }
        checkThresholds(levels);
        var decreasing = new ArrayList<FieldError>();
        for (int i = 1; i < levels.size(); i++) {
            if (levels.get(i).multiplier().compareTo(levels.get(i - 1).multiplier()) < 0) {
                decreasing.add(new FieldError(field(i, "multiplier"), levels.get(i).name() + " would earn less than "
                    + levels.get(i - 1).name() + " below it"));
            }
        }
        if (!decreasing.isEmpty()) {
            throw new TierMultipliersDecreasing(decreasing);
        }
    }

    /**
     * Each tier must ask for more than the one below: whoever reaches it has reached the tier below
     * (thresholds increase), and whoever just reaches the tier below has not reached it yet (no overlap).
     * Both are decided exactly on the minimal ways of meeting each qualification.
     */
    private static void checkThresholds(List<LevelSettings> levels) {
        var notIncreasing = new ArrayList<FieldError>();
        var overlapping = new ArrayList<FieldError>();
        for (int i = 2; i < levels.size(); i++) {
            var lower = levels.get(i - 1);
            var higher = levels.get(i);
            var field = field(i, "qualification");
            higher.qualification().ways().stream()
                .filter(way -> !lower.qualification().isMetBy(Qualification.counters(way)))
                .findFirst()
                .ifPresent(way -> notIncreasing.add(new FieldError(field, "a member with "
                    + describe(way) + " would reach " + higher.name() + " without reaching " + lower.name()
                    + " below it; each tier must ask for more than the one below")));
            lower.qualification().ways().stream()
                .filter(way -> higher.qualification().isMetBy(Qualification.counters(way)))
                .findFirst()
                .ifPresent(way -> overlapping.add(new FieldError(field, "a member with "
                    + describe(way) + " would reach " + lower.name() + " and " + higher.name() + " at once; "
                    + higher.name() + " must ask for more")));
        }
        if (!notIncreasing.isEmpty()) {
            throw new TierThresholdsNotIncreasing(notIncreasing);
        }
        if (!overlapping.isEmpty()) {
            throw new TierThresholdsOverlap(overlapping);
        }
    }

    private static String describe(Map<String, Long> way) {
        return way.entrySet().stream().map(need -> need.getKey() + " " + need.getValue()).collect(Collectors.joining(" and "));
    }

    private static String field(int level, String name) {
        return "levels[" + level + "]." + name;
    }
}
