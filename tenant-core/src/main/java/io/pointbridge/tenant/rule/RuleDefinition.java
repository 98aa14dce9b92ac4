package io.pointbridge.tenant.rule;

import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one version of an earning rule.
 *
 * @param eventType      the {@link EventTypes event type} the rule earns on
 * @param condition      a CEL expression over {@code event} and {@code member} that must be true; none means always
 * @param priority       1 to 1000; rules are evaluated in ascending priority, and earlier ones can exclude later ones
 * @param exclusive      whether points from this rule stop every rule after it from awarding any for the event
 * @param exclusionGroup rules sharing a group exclude each other: only the first of them to award points does
 * @param cap            the most a member may earn from the rule per period, if limited
 * @param budget         the campaign's points budget across all members; the rule stops awarding when it is spent
 * @param validFrom      the campaign's start, if any; events before it earn nothing from the rule
 * @param validTo        the campaign's end (exclusive), if any
 */
public record RuleDefinition(String name, @Nullable String description, String eventType, @Nullable String condition,
        Action action, int priority, boolean exclusive, @Nullable String exclusionGroup, @Nullable Cap cap,
        @Nullable Long budget, @Nullable Instant validFrom, @Nullable Instant validTo) {

    /** How a rule computes its points. */
    public enum ActionKind {
        /** {@code points} per {@code perMinor} minor units of the amount (of the lines kept), rounded down. */
        PER_AMOUNT,
        /** A fixed number of {@code points}. */
        FIXED,
        /** The base rate's points (of the lines kept) times {@code factor}: it adds {@code factor - 1} times them. */
        MULTIPLIER,
        /** {@code percent} of what the base rate and the rules before this one gave for the event, rounded down. */
        BONUS
    }

    /**
     * What a rule awards. Only the fields of its kind are set.
     *
     * @param lineFilter for {@link ActionKind#PER_AMOUNT} and {@link ActionKind#MULTIPLIER}: a CEL expression over
     *                   {@code line} (and {@code event}, {@code member}) choosing the purchase lines the action counts
     */
    public record Action(ActionKind kind, @Nullable Long points, @Nullable Long perMinor, @Nullable BigDecimal factor,
            @Nullable BigDecimal percent, @Nullable String lineFilter) {

        public static Action perAmount(long points, long perMinor, @Nullable String lineFilter) {
            return new Action(ActionKind.PER_AMOUNT, points, perMinor, null, null, lineFilter);
        }

        public static Action fixed(long points) {
            return new Action(ActionKind.FIXED, points, null, null, null, null);
        }

        public static Action multiplier(BigDecimal factor, @Nullable String lineFilter) {
            return new Action(ActionKind.MULTIPLIER, null, null, factor, null, lineFilter);
        }

        public static Action bonus(BigDecimal percent) {
            return new Action(ActionKind.BONUS, null, null, null, percent, null);
        }
    }

    /** The calendar periods of caps, in the program's time zone; weeks start on Monday. */
    public enum CapPeriod {
        DAY, WEEK, MONTH, LIFETIME
    }

    /** At most {@code maxPoints} points, and at most {@code maxTimes} awards, per member and period. */
    public record Cap(CapPeriod period, @Nullable Long maxPoints, @Nullable Integer maxTimes) {
    }
}
