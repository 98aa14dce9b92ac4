package io.pointbridge.exchange.transfer;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A transfer was undone: both memberships are back where they were; written to the outbox. */
public record TransferReversed(UUID transferId, UUID personId, UUID sourceMemberId, UUID targetMemberId,
        long sourcePoints, long targetPoints, UUID reversalEntryId, @Nullable String reason, String reversedBy,
        Instant reversedAt) {

    /** The event's type in the outbox. */
    public static final String TYPE = "exchange.transfer-reversed";

    static TransferReversed of(Transfer transfer) {
        var reversal = transfer.reversal();
        if (reversal == null) {
            throw new IllegalArgumentException("transfer " + transfer.id() + " is not reversed");
        }
        return new TransferReversed(transfer.id(), transfer.personId(), transfer.sourceMemberId(),
            transfer.targetMemberId(), transfer.sourcePoints(), transfer.targetPoints(), reversal.entryId(),
            reversal.reason(), reversal.reversedBy(), reversal.reversedAt());
    }
}
