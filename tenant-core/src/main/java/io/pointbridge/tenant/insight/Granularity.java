package io.pointbridge.tenant.insight;

import io.pointbridge.tenant.InvalidRequest;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** The length of the periods insights are reported in; calendar periods in UTC, weeks from Monday (ISO). */
public enum Granularity {
    DAY, WEEK, MONTH;

    /** The granularity a request names ({@code day}, {@code week} or {@code month}), refused naming the field. */
    public static Granularity parse(String field, String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(field, "must be day, week or month");
        }
    }

    /** The start of the period the day falls in. */
    public LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** The start of the period after the one starting on {@code start}. */
    public LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
    }

    /** The start of the period {@code count} periods before the one starting on {@code start}. */
    LocalDate back(LocalDate start, int count) {
        return switch (this) {
            case DAY -> start.minusDays(count);
            case WEEK -> start.minusWeeks(count);
            case MONTH -> start.minusMonths(count);
        };
    }

    /** PostgreSQL's name of the unit, for {@code date_trunc}. */
    String unit() {
        return name().toLowerCase(Locale.ROOT);
    }
}
