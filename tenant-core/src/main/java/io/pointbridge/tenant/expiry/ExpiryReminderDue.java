package io.pointbridge.tenant.expiry;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A member's points expire soon: all of their points expiring on {@code expiresOn} (UTC), the first of them at
 * {@code expiresAt}. Issued once per member and day, the program's reminder days ahead.
 */
public record ExpiryReminderDue(UUID memberId, UUID programId, long points, LocalDate expiresOn, Instant expiresAt) {

    /** The outbox type consumers route on. */
    public static final String TYPE = "points.expiring";
}
