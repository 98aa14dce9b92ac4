package io.pointbridge.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Request rate limits, bound to {@code pointbridge.rate-limits}: one per caller (an API key or a
 * person) and one per tenant, so that one busy integration cannot starve its group, nor one group the
 * platform. The limits hold per application instance.
 */
@ConfigurationProperties("pointbridge.rate-limits")
record RateLimitSettings(Limit perCaller, Limit perTenant) {

    /** A token bucket: up to {@code capacity} requests at once, refilled by {@code refill} per {@code period}. */
    record Limit(long capacity, long refill, Duration period) {
    }
}
