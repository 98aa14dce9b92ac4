package io.pointbridge.tenant.identity;

import java.time.Instant;

/** A consent given ({@code granted}) or withdrawn, for one purpose, by whom it was recorded, and when. */
public record Consent(String purpose, boolean granted, String source, Instant recordedAt) {
}
