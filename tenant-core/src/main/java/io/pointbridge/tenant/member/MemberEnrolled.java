package io.pointbridge.tenant.member;

import java.util.UUID;

/** A membership was created; listeners in the same transaction prepare what it needs (e.g. its wallet). */
public record MemberEnrolled(UUID tenantId, UUID membershipId, UUID programId) {
}
