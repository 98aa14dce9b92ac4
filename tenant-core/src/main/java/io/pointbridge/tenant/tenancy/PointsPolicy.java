package io.pointbridge.tenant.tenancy;

import io.pointbridge.tenant.InvalidRequest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a program's points live over time: how long earned points stay pending (the returns window), what a
 * refund does with points already spent, when points expire and how early members are reminded of it.
 * A change applies to points earned after it; a lot keeps the terms it was made with.
 *
 * @param pendingDays        days after a purchase until its points are spendable, 0 for at once
 * @param clawbackPolicy     what a refund does with points the member has spent already
 * @param debtLimit          how far below zero a clawback may take a wallet under {@link ClawbackPolicy#NEGATIVE_ALLOWED}
 * @param expiry             when earned points expire
 * @param expiryReminderDays days before points expire that the member is reminded, or none
 */
public record PointsPolicy(int pendingDays, ClawbackPolicy clawbackPolicy, long debtLimit, Expiry expiry,
        @Nullable Integer expiryReminderDays) {

    public static final int MAX_PENDING_DAYS = 365;
    public static final long MAX_DEBT_LIMIT = 1_000_000_000L;
    public static final int MAX_REMINDER_DAYS = 365;

    public PointsPolicy {
        Objects.requireNonNull(clawbackPolicy);
        Objects.requireNonNull(expiry);
        if (pendingDays < 0 || pendingDays > MAX_PENDING_DAYS) {
            throw new InvalidRequest("pendingDays", "must be between 0 and " + MAX_PENDING_DAYS);
        }
        if (debtLimit < 0 || debtLimit > MAX_DEBT_LIMIT) {
            throw new InvalidRequest("debtLimit", "must be between 0 and " + MAX_DEBT_LIMIT);
        }
        if (clawbackPolicy == ClawbackPolicy.PARTIAL && debtLimit != 0) {
            throw new InvalidRequest("debtLimit", "applies only with clawbackPolicy NEGATIVE_ALLOWED; send 0 or leave it out");
        }
        if (clawbackPolicy == ClawbackPolicy.NEGATIVE_ALLOWED && debtLimit == 0) {
            throw new InvalidRequest("debtLimit", "must be positive with clawbackPolicy NEGATIVE_ALLOWED");
        }
        if (expiryReminderDays != null && (expiryReminderDays < 1 || expiryReminderDays > MAX_REMINDER_DAYS)) {
            throw new InvalidRequest("expiryReminderDays", "must be between 1 and " + MAX_REMINDER_DAYS);
        }
        if (expiryReminderDays != null && expiry.kind() == ExpiryKind.NONE) {
            throw new InvalidRequest("expiryReminderDays", "needs an expiry to remind of");
        }
        // Rolling expiry counts from earning: points pending longer than the shortest such period would expire
        // before they could be spent. Fixed dates count from when points become spendable, so never do.
        if (expiry.kind() == ExpiryKind.ROLLING && pendingDays >= 28L * expiry.months()) {
            throw new InvalidRequest("pendingDays", "must be shorter than the rolling expiry of " + expiry.months()
                + " months, or points would expire before they can be spent");
        }
    }

    /** The policy of a program nobody has configured: points spendable at once, partial clawback, no reminders. */
    public static PointsPolicy standard(@Nullable Integer expiryMonths) {
        return new PointsPolicy(0, ClawbackPolicy.PARTIAL, 0,
            expiryMonths == null ? Expiry.none() : Expiry.rolling(expiryMonths), null);
    }

    /** What a refund does with points that are no longer in the wallet. */
    public enum ClawbackPolicy {
        /** Take what the wallet holds; report the rest as not recovered. */
        PARTIAL,
        /** Take what the wallet holds and book the rest as the member's debt, up to the debt limit. */
        NEGATIVE_ALLOWED
    }

    /** How far below zero a clawback may take a wallet: the debt limit where debt is allowed, else none. */
    public long debtAllowance() {
        return clawbackPolicy == ClawbackPolicy.NEGATIVE_ALLOWED ? debtLimit : 0;
    }

    /** When points earned at the given time become spendable, and when they expire. */
    public LotTerms termsFor(Instant earnedAt) {
        var availableAt = earnedAt.plus(Duration.ofDays(pendingDays));
        return new LotTerms(availableAt, expiry.expiresAt(earnedAt, availableAt));
    }

    /** The terms of a new lot: when its points become spendable and when they expire (never, if null). */
    public record LotTerms(Instant availableAt, @Nullable Instant expiresAt) {
    }

    public enum ExpiryKind {
        /** Points never expire. */
        NONE,
        /** Points expire {@code months} after they were earned. */
        ROLLING,
        /** Points expire at the end of the first of {@code dates} at least {@code minimumMonths} after earning. */
        FIXED_DATES
    }

    /**
     * When earned points expire. Fixed dates are {@code MM-DD} (every year, e.g. {@code 12-31}) or
     * {@code YYYY-MM-DD} (once); points expire at the end of that day in {@code zone}.
     */
    public record Expiry(ExpiryKind kind, @Nullable Integer months, @Nullable List<String> dates,
            @Nullable Integer minimumMonths, @Nullable String zone) {

        public static final int MAX_MONTHS = 120;
        public static final int MAX_DATES = 24;
        private static final Pattern ANNUAL = Pattern.compile("\\d{2}-\\d{2}");
        private static final Pattern ONCE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

        public Expiry {
            Objects.requireNonNull(kind);
            switch (kind) {
                case NONE -> {
                    refuseIfSet("expiry.months", months);
                    refuseIfSet("expiry.dates", dates);
                    refuseIfSet("expiry.minimumMonths", minimumMonths);
                    refuseIfSet("expiry.zone", zone);
                }
                case ROLLING -> {
                    if (months == null || months < 1 || months > MAX_MONTHS) {
                        throw new InvalidRequest("expiry.months", "must be between 1 and " + MAX_MONTHS);
                    }
                    refuseIfSet("expiry.dates", dates);
                    refuseIfSet("expiry.minimumMonths", minimumMonths);
                    refuseIfSet("expiry.zone", zone);
                }
                case FIXED_DATES -> {
                    refuseIfSet("expiry.months", months);
                    if (dates == null || dates.isEmpty() || dates.size() > MAX_DATES) {
                        throw new InvalidRequest("expiry.dates", "must list 1 to " + MAX_DATES + " dates");
                    }
                    dates = List.copyOf(dates);
                    for (int i = 0; i < dates.size(); i++) {
                        parseDate("expiry.dates[" + i + "]", dates.get(i));
                    }
                    if (dates.stream().distinct().count() < dates.size()) {
                        throw new InvalidRequest("expiry.dates", "must not list a date twice");
                    }
                    minimumMonths = minimumMonths == null ? 0 : minimumMonths;
                    if (minimumMonths < 0 || minimumMonths > MAX_MONTHS) {
                        throw new InvalidRequest("expiry.minimumMonths", "must be between 0 and " + MAX_MONTHS);
                    }
                    zone = zone == null ? "UTC" : zone;
                    try {
                        ZoneId.of(zone);
                    } catch (DateTimeException e) {
                        throw new InvalidRequest("expiry.zone", "is not a time zone such as Europe/Berlin or UTC");
                    }
                }
            }
        }

        public static Expiry none() {
            return new Expiry(ExpiryKind.NONE, null, null, null, null);
        }

        public static Expiry rolling(int months) {
            return new Expiry(ExpiryKind.ROLLING, months, null, null, null);
        }

        public static Expiry fixedDates(List<String> dates, int minimumMonths, String zone) {
            return new Expiry(ExpiryKind.FIXED_DATES, null, dates, minimumMonths, zone);
        }

        /**
         * When points earned at {@code earnedAt} and spendable from {@code availableAt} expire, or null if never.
         * Rolling expiry counts months in UTC from earning. A fixed date counts only if its day ends after both the
         * minimum holding period and the points becoming spendable; if no listed date does, the points never expire.
         */
        public @Nullable Instant expiresAt(Instant earnedAt, Instant availableAt) {
            return switch (kind) {
                case NONE -> null;
                case ROLLING -> earnedAt.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
                case FIXED_DATES -> firstFixedDateAfter(earnedAt, availableAt);
            };
        }

        private @Nullable Instant firstFixedDateAfter(Instant earnedAt, Instant availableAt) {
            var in = ZoneId.of(zone);
            var held = earnedAt.atZone(in).plusMonths(minimumMonths).toInstant();
            var after = held.isAfter(availableAt) ? held : availableAt;
            int fromYear = after.atZone(in).getYear();
            Instant first = null;
            for (var text : dates) {
                var candidates = new ArrayList<LocalDate>();
                if (ANNUAL.matcher(text).matches()) {
                    var day = MonthDay.parse("--" + text);
                    for (int year = fromYear - 1; year <= fromYear + 1; year++) {
                        candidates.add(day.atYear(year));
                    }
                } else {
                    candidates.add(LocalDate.parse(text));
                }
                for (var date : candidates) {
                    var end = date.plusDays(1).atStartOfDay(in).toInstant();
                    if (end.isAfter(after) && (first == null || end.isBefore(first))) {
                        first = end;
                    }
                }
            }
            return first;
        }

        private static void parseDate(String field, @Nullable String text) {
            try {
                if (text != null && ANNUAL.matcher(text).matches()) {
                    var day = MonthDay.parse("--" + text);
                    if (day.getMonthValue() == 2 && day.getDayOfMonth() == 29) {
                        throw new InvalidRequest(field, "29 February is not a date every year; use 02-28 or a dated day");
                    }
                    return;
                }
                if (text != null && ONCE.matcher(text).matches()) {
                    LocalDate.parse(text);
                    return;
                }
            } catch (DateTimeParseException e) {
                throw new InvalidRequest(field, "is not a date of the calendar");
            }
            throw new InvalidRequest(field, "must be MM-DD (every year) or YYYY-MM-DD (once)");
        }

        private static void refuseIfSet(String field, @Nullable Object value) {
            if (value != null) {
                throw new InvalidRequest(field, "does not apply to this kind of expiry");
            }
        }
    }
}
