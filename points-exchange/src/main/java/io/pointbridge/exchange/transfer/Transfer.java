package io.pointbridge.exchange.transfer;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An executed quote: journal entry {@code entryId} took S (of which F fee) from the source membership and
 * credited T to the target membership; {@code settlement} is the value that crossed from the source brand to
 * the target brand. It can be reversed until {@code reversibleUntil} while the credited points are unspent.
 */
public record Transfer(UUID id, UUID quoteId, UUID rateId, UUID personId, UUID sourceMemberId, UUID targetMemberId,
        UUID sourceProgramId, UUID targetProgramId, UUID sourceBrandId, UUID targetBrandId, long sourcePoints,
        long feePoints, long targetPoints, UUID entryId, Settlement settlement, String executedBy, Instant executedAt,
        Instant reversibleUntil, @Nullable Reversal reversal) {

    /** Value owed by the source brand to the target brand, in minor units of the settlement currency. */
    public record Settlement(long amountMinor, String currency) {
    }

    /** The reversing journal entry, when and by whom, and why. */
    public record Reversal(UUID entryId, Instant reversedAt, String reversedBy, @Nullable String reason) {
    }

    public boolean reversed() {
        return reversal != null;
    }
}
