package io.pointbridge.tenant.tier;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** Binds the tier settings and, unless {@code pointbridge.tiers.reviews.scheduled} is false, schedules the review job. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TierSettings.class)
class TierConfiguration {

    /** Runs the review job on every instance; the rows each run claims keep the instances from doing the same work. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @ConditionalOnBooleanProperty(name = "pointbridge.tiers.reviews.scheduled", matchIfMissing = true)
    static class ReviewSchedule {

        private final TierReviews reviews;
        private final Clock clock;

        ReviewSchedule(TierReviews reviews, Clock clock) {
            this.reviews = reviews;
            this.clock = clock;
        }

        @Scheduled(fixedDelayString = "${pointbridge.tiers.reviews.interval:5m}",
            initialDelayString = "${pointbridge.tiers.reviews.interval:5m}")
        void run() {
            reviews.reviewAllTenants(clock.instant());
        }
    }
}
