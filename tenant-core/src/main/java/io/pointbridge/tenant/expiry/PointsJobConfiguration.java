package io.pointbridge.tenant.expiry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Wiring of the points jobs: their settings, and their schedule unless {@code pointbridge.points-jobs.scheduling} is off. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PointsJobSettings.class)
class PointsJobConfiguration {

    /**
     * Every instance runs every job for every tenant on a fixed delay; instances share the work through row
     * locks (SKIP LOCKED) and unique keys, so no leader election is needed.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @ConditionalOnProperty(prefix = "pointbridge.points-jobs", name = "scheduling", havingValue = "true",
        matchIfMissing = true)
    static class Schedule implements SchedulingConfigurer {

        private final PointsJobs jobs;
        private final PointsJobSettings settings;

        Schedule(PointsJobs jobs, PointsJobSettings settings) {
            this.jobs = jobs;
            this.settings = settings;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            for (var job : PointsJob.values()) {
                registrar.addFixedDelayTask(new FixedDelayTask(() -> jobs.runForAllTenants(job), settings.every(job),
                    settings.initialDelay()));
            }
        }
    }
}
