package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.identity.ContactPoint.Kind;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** That a person has a contact point of a kind, and whether it was verified; never its value. */
public record PersonContact(Kind kind, boolean verified, @Nullable Instant verifiedAt, Instant addedAt) {
}
