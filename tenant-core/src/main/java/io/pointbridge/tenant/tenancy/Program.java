package io.pointbridge.tenant.tenancy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.UUID;

/**
 * A brand's loyalty program with its own point currency ({@code pointsName}, e.g. "Cafe Stars").
 * Purchases earn {@code earnPoints} for every {@code earnPerMinor} minor units of {@code purchaseCurrency};
 * the product is rounded down, so rounding never creates points. Dates and weekdays in earning rules, and
 * the periods of their caps, are those of {@code timeZone}.
 */
public record Program(UUID id, UUID brandId, String code, String name, String pointsName,
        Currency purchaseCurrency, long earnPoints, long earnPerMinor, Integer expiryMonths, ZoneId timeZone,
        Instant createdAt) {

    /** Points a purchase of the given amount in minor units earns at the base rate, rounded down. */
    public long pointsFor(long amountMinor) {
        return Math.multiplyExact(amountMinor, earnPoints) / earnPerMinor;
    }
}
