package io.pointbridge.tenant.privacy;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the privacy jobs run, bound to {@code pointbridge.privacy.jobs}. Every instance runs them; the work is
 * shared through row locks, so more instances finish sooner and never do a row twice.
 *
 * @param enabled        whether this instance runs the jobs at all
 * @param keyInterval    pause between two runs of the key job (rewrap under a new master key, re-encrypt after a rotation)
 * @param retentionInterval pause between two runs of the retention job
 * @param batchSize      rows per transaction: small enough to hold locks briefly, large enough to move quickly
 */
@ConfigurationProperties("pointbridge.privacy.jobs")
@Validated
public record PrivacyJobSettings(@DefaultValue("true") boolean enabled, @DefaultValue("1m") Duration keyInterval,
        @DefaultValue("1h") Duration retentionInterval, @DefaultValue("200") @Min(1) @Max(10_000) int batchSize) {
}
