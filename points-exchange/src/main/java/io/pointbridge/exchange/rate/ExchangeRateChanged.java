package io.pointbridge.exchange.rate;

import org.jspecify.annotations.Nullable;

/** A tenant admin changed the rate of a pair: the new version, the one it superseded (if any), and who did it. */
public record ExchangeRateChanged(ExchangeRate rate, @Nullable ExchangeRate previous, String actor) {

    /** The event's type in the outbox. */
    public static final String TYPE = "exchange.rate-changed";
}
