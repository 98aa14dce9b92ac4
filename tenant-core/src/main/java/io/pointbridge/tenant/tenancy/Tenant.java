package io.pointbridge.tenant.tenancy;

import java.time.Instant;
import java.util.UUID;

/** A group company running the loyalty programs of its brands on Pointbridge. */
public record Tenant(UUID id, String slug, String name, String settlementCurrency, Instant createdAt) {
}
