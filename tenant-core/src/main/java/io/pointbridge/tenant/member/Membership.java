package io.pointbridge.tenant.member;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A person's membership in one brand program; {@code id} is the member id the API uses and
 * {@code externalId} the integration's own customer id for that person in that program.
 * {@code mergedInto} names the membership of the same program this one's wallet was merged into when
 * two persons were merged; the membership stays so that its external id and history still resolve.
 */
public record Membership(UUID id, UUID personId, UUID programId, UUID brandId, String externalId, Instant enrolledAt,
        @Nullable UUID mergedInto) {

    /** Leaves the external id out: a brand's customer id can be an email or a phone number. */
    @Override
    public String toString() {
        return "Membership[id=" + id + ", personId=" + personId + ", programId=" + programId + ", brandId=" + brandId
            + ", enrolledAt=" + enrolledAt + ", mergedInto=" + mergedInto + "]";
    }
}
