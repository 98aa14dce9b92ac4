package io.pointbridge.tenant.tier;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * The stretch of activity a tier is decided on, and the period a tier is held for before its review.
 * {@code ROLLING}: the last {@code months} months at any moment, activity of exactly {@code months} months ago
 * no longer counting; a tier reached is reviewed {@code months} months later, on activity since then, so the
 * activity that reached it does not renew it. {@code CALENDAR}: calendar periods of {@code months} months (a
 * divisor of 12: months, quarters, halves, years) in the scheme's time zone; a tier reached is reviewed at the
 * end of its period, on that period's activity.
 */
public record TierWindow(Kind kind, int months) {

    public static final int MAX_MONTHS = 36;

    public enum Kind {
        ROLLING, CALENDAR;

        @JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A stretch of time, each end included or not. */
    public record Interval(Instant from, boolean fromIncluded, Instant to, boolean toIncluded) {

        /** The first moment inside, for a query: one microsecond (the database's resolution) past an excluded start. */
        public Instant start() {
            return fromIncluded ? from : from.plus(1, ChronoUnit.MICROS);
        }

        /** The first moment past the end, for a query: one microsecond past an included end. */
        public Instant end() {
            return toIncluded ? to.plus(1, ChronoUnit.MICROS) : to;
        }
    }

    /** The window a member's tier is decided on at {@code t}, activity at {@code t} included. */
    public Interval at(Instant t, ZoneId zone) {
        return new Interval(start(t, zone), kind == Kind.CALENDAR, t, true);
    }

    /** The window that ends just before {@code t}: what a review or the end of a grace period at {@code t} looks at. */
    public Interval before(Instant t, ZoneId zone) {
        var start = switch (kind) {
            case ROLLING -> start(t, zone);
            // At the very end of a period, the period that is ending, not the one that starts.
            case CALENDAR -> start(t.minus(1, ChronoUnit.MICROS), zone);
        };
        return new Interval(start, kind == Kind.CALENDAR, t, false);
    }

    /** When a tier reached or confirmed at {@code t} is next reviewed. */
    public Instant nextReview(Instant t, ZoneId zone) {
        return switch (kind) {
            case ROLLING -> t.atZone(zone).plusMonths(months).toInstant();
            case CALENDAR -> periodStart(t, zone).plusMonths(months).atStartOfDay(zone).toInstant();
        };
    }

    private Instant start(Instant t, ZoneId zone) {
        return switch (kind) {
            case ROLLING -> t.atZone(zone).minusMonths(months).toInstant();
            case CALENDAR -> periodStart(t, zone).atStartOfDay(zone).toInstant();
        };
    }

    private LocalDate periodStart(Instant t, ZoneId zone) {
        var date = t.atZone(zone).toLocalDate();
        int firstMonth = (date.getMonthValue() - 1) / months * months + 1;
        return LocalDate.of(date.getYear(), firstMonth, 1);
    }
}
