package io.pointbridge.tenant.ledger;

import io.pointbridge.tenant.DomainFailure;
import java.util.UUID;

/** The facts the ledger refuses a request with. */
public final class LedgerFailures {

    private LedgerFailures() {
    }

    public static final class InsufficientPoints extends DomainFailure {
        public InsufficientPoints(long requested, long available) {
            super(422, "insufficient-points", "Insufficient points",
                "Requested " + requested + " points but only " + available + " are available.");
            with("requested", requested);
            with("available", available);
        }
    }

    public static final class EntryNotFound extends DomainFailure {
        public EntryNotFound(UUID entry) {
            super(404, "entry-not-found", "Journal entry not found", "No journal entry " + entry + " is visible to you.");
        }
    }

    public static final class EntryAlreadyReversed extends DomainFailure {
        public EntryAlreadyReversed(UUID entry) {
            super(409, "entry-already-reversed", "Entry already reversed", "Journal entry " + entry + " has been reversed already.");
        }
    }

    public static final class EntryNotReversible extends DomainFailure {
        public EntryNotReversible(UUID entry, String why) {
            super(422, "entry-not-reversible", "Entry not reversible", "Journal entry " + entry + " cannot be reversed: " + why);
        }
    }

    /** A strict reversal found that points the entry credited have been spent, or are not spendable, since. */
    public static final class CreditedPointsSpent extends DomainFailure {
        public CreditedPointsSpent(UUID entry) {
            super(422, "credited-points-spent", "Credited points spent",
                "The points journal entry " + entry + " credited are no longer all there to take back: some have been "
                    + "spent or have expired since.");
            with("entryId", entry);
        }
    }
}
