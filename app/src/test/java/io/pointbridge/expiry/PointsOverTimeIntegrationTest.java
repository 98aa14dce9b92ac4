package io.pointbridge.expiry;

import io.pointbridge.tenant.expiry.PointsJobs;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.MovableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * Base of the tests of points over time: the whole application with a clock the tests move forward (one context
 * for all of them), the points jobs run by the tests themselves. Time only moves forward, so every test builds
 * its own group and reasons from the clock's current instant.
 */
@Import(PointsOverTimeIntegrationTest.MovableTime.class)
abstract class PointsOverTimeIntegrationTest extends IntegrationTest {

    /** Imported rather than a nested configuration: component scanning of other contexts must not find it. */
    static class MovableTime {
        @Bean
        @Primary
        MovableClock movableClock() {
            return new MovableClock();
        }
    }

    @Autowired
    protected MovableClock clock;

    @Autowired
    protected PointsFixtures points;

    @Autowired
    protected PointsJobs jobs;
}
