package io.pointbridge.tenant.expiry;

import java.util.Arrays;
import java.util.Optional;

/** The scheduled jobs that keep points moving over time, each named by a stable slug. */
public enum PointsJob {
    /** Announces pending points that became spendable (availability itself follows the clock). */
    PENDING_RELEASE("pending-release"),
    /** Moves what remains of expired lots to breakage, one journal entry per wallet and run. */
    POINTS_EXPIRY("points-expiry"),
    /** Reminds members of points that expire within their program's reminder window, once per member and day. */
    EXPIRY_REMINDERS("expiry-reminders");

    private final String slug;

    PointsJob(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }

    public static Optional<PointsJob> bySlug(String slug) {
        return Arrays.stream(values()).filter(job -> job.slug.equals(slug)).findFirst();
    }
}
