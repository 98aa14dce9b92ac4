package io.pointbridge.tenant.expiry;

import java.time.Instant;
import java.util.UUID;

/** What remained of a member's expired lots went to breakage, by one journal entry. */
public record PointsExpired(UUID memberId, UUID programId, UUID entryId, long points, int lots, Instant expiredAt) {

    /** The outbox type consumers route on. */
    public static final String TYPE = "points.expired";
}
