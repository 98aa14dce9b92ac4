package io.pointbridge.tenant.purchase;

import io.pointbridge.tenant.purchase.PurchaseFailures.AmountTooPrecise;
import java.math.BigDecimal;
import java.util.Currency;

/** Converts decimal amounts to the integer minor units the ledger stores, refusing any that would round. */
public final class Money {

    private Money() {
    }

    public static long toMinor(String field, BigDecimal amount, Currency currency) {
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        var stripped = amount.stripTrailingZeros();
        if (stripped.scale() > digits) {
            throw new AmountTooPrecise(field, currency.getCurrencyCode(), digits);
        }
        return amount.movePointRight(digits).longValueExact();
    }

    public static BigDecimal fromMinor(long minor, Currency currency) {
        return BigDecimal.valueOf(minor, Math.max(currency.getDefaultFractionDigits(), 0));
    }
}
