package io.pointbridge.tenant.reward;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A redemption was cancelled: its points went back to the member by the reversing entry, its item back to stock. */
public record RedemptionCancelled(UUID redemptionId, UUID rewardId, UUID memberId, long points, UUID reversalEntryId,
        @Nullable String reason, String actor, Instant at) {

    /** The event's type in the outbox. */
    public static final String TYPE = "reward.redemption-cancelled";
}
