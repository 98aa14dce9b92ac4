package io.pointbridge.tenant.rule;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One version of an earning rule. Drafts wait for the program's next publication; a published version is
 * in force from {@code publishedAt} until a newer version of the rule is published ({@code supersededAt}).
 * A version that {@code retires} the rule ends it when published.
 */
public record RuleVersion(UUID ruleId, int version, UUID programId, Status status, boolean retires,
        RuleDefinition definition, Instant draftedAt, String draftedBy, @Nullable Instant publishedAt,
        @Nullable String publishedBy, @Nullable Instant supersededAt) {

    public enum Status {
        /** Waiting to be published with the program's other drafts. */
        DRAFT,
        /** Published: in force from its publication until superseded. */
        PUBLISHED,
        /** A draft replaced by a newer draft, or withdrawn, before it was published. */
        WITHDRAWN
    }

    /** Whether the campaign window of this version includes the instant. */
    public boolean validAt(Instant at) {
        var from = definition.validFrom();
        var to = definition.validTo();
        return (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to));
    }
}
