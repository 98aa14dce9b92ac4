package io.pointbridge.exchange.transfer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the points exchange, bound to {@code pointbridge.exchange}.
 *
 * @param quoteTtl       how long a quote can be executed after it was given
 * @param reversalWindow how long after its execution a transfer can be reversed (while its credited points
 *                       are unspent)
 */
@ConfigurationProperties("pointbridge.exchange")
public record ExchangeSettings(@DefaultValue("60s") Duration quoteTtl, @DefaultValue("24h") Duration reversalWindow) {

    public ExchangeSettings {
        if (quoteTtl.isNegative() || quoteTtl.isZero() || reversalWindow.isNegative()) {
            throw new IllegalArgumentException("the quote TTL must be positive and the reversal window not negative");
        }
    }
}
