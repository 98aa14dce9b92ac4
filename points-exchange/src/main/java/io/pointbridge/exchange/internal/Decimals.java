package io.pointbridge.exchange.internal;

import java.math.BigDecimal;

/** Exact decimals as the API shows them. */
public final class Decimals {

    private Decimals() {
    }

    /** The number without trailing zeros, never in exponent form: 5.0000 becomes 5 (not 5E+0), 10 stays 10. */
    public static BigDecimal plain(BigDecimal value) {
        var stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
