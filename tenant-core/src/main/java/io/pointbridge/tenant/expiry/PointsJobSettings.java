package io.pointbridge.tenant.expiry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the points jobs ({@code pointbridge.points-jobs}).
 *
 * @param scheduling     whether this instance runs the jobs on schedule (tests switch it off and run them themselves)
 * @param batchSize      lots (or reminder groups) per transaction
 * @param initialDelay   how long after start-up the first scheduled runs wait
 * @param releaseEvery   pause between runs of {@link PointsJob#PENDING_RELEASE}
 * @param expiryEvery    pause between runs of {@link PointsJob#POINTS_EXPIRY}
 * @param remindersEvery pause between runs of {@link PointsJob#EXPIRY_REMINDERS}
 * @param staleAfter     how long a run may go without committing a batch before it counts as abandoned
 */
@ConfigurationProperties("pointbridge.points-jobs")
public record PointsJobSettings(@DefaultValue("true") boolean scheduling, @DefaultValue("1000") int batchSize,
        @DefaultValue("1m") Duration initialDelay, @DefaultValue("5m") Duration releaseEvery,
        @DefaultValue("1h") Duration expiryEvery, @DefaultValue("1h") Duration remindersEvery,
        @DefaultValue("15m") Duration staleAfter) {

    public PointsJobSettings {
        if (batchSize < 1 || batchSize > RunOptions.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("pointbridge.points-jobs.batch-size must be between 1 and "
                + RunOptions.MAX_BATCH_SIZE);
        }
    }

    Duration every(PointsJob job) {
        return switch (job) {
            case PENDING_RELEASE -> releaseEvery;
            case POINTS_EXPIRY -> expiryEvery;
            case EXPIRY_REMINDERS -> remindersEvery;
        };
    }
}
