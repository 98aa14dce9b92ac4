package io.pointbridge.exchange.transfer;

import io.pointbridge.tenant.DomainFailure;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The facts quotes, transfers and reversals refuse requests with. */
public final class TransferFailures {

    private TransferFailures() {
    }

    public static final class QuoteNotFound extends DomainFailure {
        public QuoteNotFound(UUID quote) {
            super(404, "quote-not-found", "Quote not found", "No quote " + quote + " is visible to you.");
        }
    }

    public static final class QuoteExpired extends DomainFailure {
        public QuoteExpired(UUID quote, Instant expiredAt) {
            super(422, "quote-expired", "Quote expired",
                "Quote " + quote + " expired at " + expiredAt + "; ask for a new one.");
            with("expiredAt", expiredAt.toString());
        }
    }

    public static final class QuoteAlreadyExecuted extends DomainFailure {
        public QuoteAlreadyExecuted(UUID quote, @Nullable UUID transfer) {
            super(409, "quote-already-executed", "Quote already executed",
                "Quote " + quote + " has been executed already; a quote executes once.");
            if (transfer != null) {
                with("transferId", transfer);
            }
        }
    }

    /** Points move only between memberships of one person. */
    public static final class MembershipsOfDifferentPersons extends DomainFailure {
        public MembershipsOfDifferentPersons(UUID source, UUID target) {
            super(422, "memberships-of-different-persons", "Memberships of different persons",
                "Members " + source + " and " + target + " are not the same person; points are exchanged only between "
                    + "one person's memberships.");
        }
    }

    public static final class BelowMinimum extends DomainFailure {
        public BelowMinimum(long points, long minimum) {
            super(422, "below-minimum", "Below the minimum",
                points + " points is less than the " + minimum + " points this rate converts at least.");
            with("minimumPoints", minimum);
        }
    }

    public static final class OffStep extends DomainFailure {
        public OffStep(long points, long step) {
            super(422, "amount-off-step", "Amount off the step",
                "This rate converts multiples of " + step + " points; " + points + " is not one.");
            with("stepPoints", step);
        }
    }

    /** The fee and rounding leave no whole target point for the amount. */
    public static final class ConversionTooSmall extends DomainFailure {
        public ConversionTooSmall(long points, long fee) {
            super(422, "conversion-too-small", "Conversion too small",
                "Converting " + points + " points (fee " + fee + ") would credit no whole point; convert more.");
            with("feePoints", fee);
        }
    }

    /** The conversion would pass one of the rate's caps. */
    public static final class CapExceeded extends DomainFailure {
        public CapExceeded(String cap, long limit, long remaining) {
            super(422, "exchange-cap-exceeded", "Exchange cap exceeded",
                "This conversion would pass the cap " + cap + " of " + limit + " points; " + remaining
                    + " points can still be converted in this period.");
            with("cap", cap);
            with("limit", limit);
            with("remaining", remaining);
        }
    }

    public static final class TransferNotFound extends DomainFailure {
        public TransferNotFound(UUID transfer) {
            super(404, "transfer-not-found", "Transfer not found", "No transfer " + transfer + " is visible to you.");
        }
    }

    public static final class TransferAlreadyReversed extends DomainFailure {
        public TransferAlreadyReversed(UUID transfer) {
            super(409, "transfer-already-reversed", "Transfer already reversed",
                "Transfer " + transfer + " has been reversed already.");
        }
    }

    public static final class ReversalWindowClosed extends DomainFailure {
        public ReversalWindowClosed(UUID transfer, Instant closedAt) {
            super(422, "reversal-window-closed", "Reversal window closed",
                "Transfer " + transfer + " could be reversed until " + closedAt + ".");
            with("reversibleUntil", closedAt.toString());
        }
    }
}
