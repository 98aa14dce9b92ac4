package io.pointbridge.tenant.tenancy;

import java.util.UUID;

/** A program was created; listeners in the same transaction prepare what it needs (e.g. its system accounts). */
public record ProgramOpened(UUID tenantId, UUID programId, UUID brandId) {
}
