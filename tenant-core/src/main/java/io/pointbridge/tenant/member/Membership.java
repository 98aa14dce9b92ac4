package io.pointbridge.tenant.member;

import java.time.Instant;
import java.util.UUID;

/**
 * A person's membership in one brand program; {@code id} is the member id the API uses and
 * {@code externalId} the integration's own customer id for that person in that program.
 */
public record Membership(UUID id, UUID personId, UUID programId, UUID brandId, String externalId, Instant enrolledAt) {
}
