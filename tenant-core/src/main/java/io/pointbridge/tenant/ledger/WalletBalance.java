package io.pointbridge.tenant.ledger;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A member's points in one program: {@code balance} is the wallet's booked balance, {@code available}
 * what can be spent now, {@code pending} what is not available yet, {@code expired} what has expired
 * but not yet been moved to breakage, {@code debt} what the member owes from clawbacks (the balance is
 * below zero by it, less any expired points not yet moved); and the next expiry, if any.
 */
public record WalletBalance(UUID memberId, UUID programId, long balance, long available, long pending, long expired,
        @Nullable NextExpiry nextExpiry, long debt) {

    /** A balance without debt. */
    public WalletBalance(UUID memberId, UUID programId, long balance, long available, long pending, long expired,
            @Nullable NextExpiry nextExpiry) {
        this(memberId, programId, balance, available, pending, expired, nextExpiry, 0);
    }

    public record NextExpiry(long points, Instant at) {
    }
}
