package io.pointbridge.tenant.ledger;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One movement of a member's wallet: signed points and the entry behind them. */
public record HistoryLine(UUID entryId, EntryKind kind, long points, @Nullable String reference, @Nullable String memo,
        Instant at, @Nullable UUID reverses, @Nullable UUID reversedBy) {
}
