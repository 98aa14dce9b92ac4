package io.pointbridge.tenant.expiry;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Pending points became spendable: one event per lot, e.g. a purchase's points once its returns window closed. */
public record PointsReleased(UUID memberId, UUID programId, UUID lotId, long points, Instant availableAt,
        @Nullable String reference) {

    /** The outbox type consumers route on. */
    public static final String TYPE = "points.released";
}
