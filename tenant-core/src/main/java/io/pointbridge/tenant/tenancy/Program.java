package io.pointbridge.tenant.tenancy;

import java.math.BigDecimal;
import java.math.RoundingMode;
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

    /**
     * Points a purchase earns at the base rate times a multiplier (e.g. a tier's 1.25), rounded down once, on
     * the exact product: 23.90 EUR at 1 point per euro and 1.5 earns 35, not 1.5 × 23 = 34.
     */
    public long pointsFor(long amountMinor, BigDecimal multiplier) {
        return BigDecimal.valueOf(amountMinor).multiply(BigDecimal.valueOf(earnPoints)).multiply(multiplier)
            .divide(BigDecimal.valueOf(earnPerMinor), 0, RoundingMode.FLOOR).longValueExact();
    }
}
