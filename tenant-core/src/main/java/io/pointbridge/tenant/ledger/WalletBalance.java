package io.pointbridge.tenant.ledger;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A member's points in one program: {@code balance} is the wallet's booked balance, {@code available}
 * what can be spent now, {@code pending} what is not available yet, {@code expired} what has expired
 * but not yet been moved to breakage; and the next expiry, if any.
 */
public record WalletBalance(UUID memberId, UUID programId, long balance, long available, long pending, long expired,
        @Nullable NextExpiry nextExpiry) {

    public record NextExpiry(long points, Instant at) {
    }
}
