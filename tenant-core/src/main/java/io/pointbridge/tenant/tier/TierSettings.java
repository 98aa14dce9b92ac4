package io.pointbridge.tenant.tier;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Tier settings, bound to {@code pointbridge.tiers}.
 *
 * @param reviews the review job: whether this instance runs it on a schedule (every instance may; they share
 *                the work), how long it rests between runs, and how many members one transaction reviews
 */
@ConfigurationProperties("pointbridge.tiers")
@Validated
public record TierSettings(@NotNull @DefaultValue Reviews reviews) {

    public record Reviews(@DefaultValue("true") boolean scheduled, @NotNull @DefaultValue("5m") Duration interval,
            @Min(1) @Max(10_000) @DefaultValue("500") int batchSize) {
    }
}
