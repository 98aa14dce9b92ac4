package io.pointbridge.tenant.purchase;

import io.pointbridge.tenant.DomainFailure;
import java.util.List;
import java.util.Map;

/** The facts purchases and refunds are refused with. */
public final class PurchaseFailures {

    private PurchaseFailures() {
    }

    public static final class CurrencyMismatch extends DomainFailure {
        public CurrencyMismatch(String given, String expected) {
            super(422, "currency-mismatch", "Currency mismatch",
                "The amount is in " + given + " but this program earns on purchases in " + expected + ".");
            with("field", "currency");
        }
    }

    public static final class AmountTooPrecise extends DomainFailure {
        public AmountTooPrecise(String field, String currency, int digits) {
            super(400, "amount-too-precise", "Amount too precise",
                currency + " amounts have at most " + digits + " decimal places.");
            with("field", field);
            with("errors", List.of(Map.of("field", field, "message", "has more than " + digits + " decimal places")));
        }
    }

    public static final class DuplicateOrder extends DomainFailure {
        public DuplicateOrder(String orderId) {
            super(409, "duplicate-order", "Duplicate order", "Order '" + orderId + "' has already earned points in this program.");
            with("field", "orderId");
        }
    }

    public static final class PurchaseNotFound extends DomainFailure {
        public PurchaseNotFound(String orderId) {
            super(404, "purchase-not-found", "Purchase not found", "This member has no purchase with order id '" + orderId + "'.");
        }
    }

    public static final class RefundExceedsPurchase extends DomainFailure {
        public RefundExceedsPurchase(String refundable, String currency) {
            super(422, "refund-exceeds-purchase", "Refund exceeds purchase",
                "At most " + refundable + " " + currency + " of this purchase can still be refunded.");
            with("field", "amount");
            with("refundable", refundable);
        }
    }
}
