package io.pointbridge.tenant.tenancy;

import java.time.Instant;
import java.util.UUID;

/** A sub-brand of a tenant's group. */
public record Brand(UUID id, String code, String name, Instant createdAt) {
}
