package io.pointbridge.exchange.transfer;

import java.time.Instant;
import java.util.UUID;

/** A person converted points from one of their memberships to another; written to the outbox. */
public record PointsTransferred(UUID transferId, UUID personId, UUID sourceMemberId, UUID targetMemberId,
        UUID sourceProgramId, UUID targetProgramId, long sourcePoints, long feePoints, long targetPoints, UUID entryId,
        long settlementMinor, String settlementCurrency, Instant executedAt) {

    /** The event's type in the outbox. */
    public static final String TYPE = "exchange.points-transferred";

    static PointsTransferred of(Transfer transfer) {
        return new PointsTransferred(transfer.id(), transfer.personId(), transfer.sourceMemberId(),
            transfer.targetMemberId(), transfer.sourceProgramId(), transfer.targetProgramId(), transfer.sourcePoints(),
            transfer.feePoints(), transfer.targetPoints(), transfer.entryId(), transfer.settlement().amountMinor(),
            transfer.settlement().currency(), transfer.executedAt());
    }
}
