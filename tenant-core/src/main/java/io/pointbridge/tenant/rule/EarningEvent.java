package io.pointbridge.tenant.rule;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Something a member did that rules may award points for, with the facts their conditions read.
 *
 * @param type        an {@link EventTypes event type}; a purchase is {@code purchase}, also when it is a first order
 * @param occurredAt  when it happened: rule versions in force then apply
 * @param amountMinor a purchase's amount in minor units of {@code currency}
 * @param reference   the integration's own id of it (an order id), if any
 * @param attributes  what the integration reported with it: strings, longs, doubles, booleans or lists of them
 * @param firstOrder  whether this purchase is the member's first in the program
 */
public record EarningEvent(String type, Instant occurredAt, @Nullable Long amountMinor, @Nullable Currency currency,
        @Nullable String channel, @Nullable String store, @Nullable String reference, List<Line> lines,
        Map<String, Object> attributes, boolean firstOrder) {

    public EarningEvent {
        lines = List.copyOf(lines);
        attributes = Map.copyOf(attributes);
    }

    /** A line of a purchase. */
    public record Line(@Nullable String sku, @Nullable String category, long quantity, long amountMinor) {
    }

    /** A purchase. */
    public static EarningEvent purchase(Instant at, long amountMinor, Currency currency, @Nullable String channel,
            @Nullable String store, @Nullable String orderId, List<Line> lines) {
        return new EarningEvent(EventTypes.PURCHASE, at, amountMinor, currency, channel, store, orderId, lines,
            Map.of(), false);
    }

    /** Any other event. */
    public static EarningEvent of(String type, Instant at, @Nullable String reference, Map<String, Object> attributes) {
        return new EarningEvent(type, at, null, null, null, null, reference, List.of(), attributes, false);
    }

    /** The same purchase, known to be (or not to be) the member's first. */
    public EarningEvent asFirstOrder(boolean first) {
        return new EarningEvent(type, occurredAt, amountMinor, currency, channel, store, reference, lines, attributes,
            first);
    }

    /** The rule event types this event triggers: a first order is a purchase too. */
    public Set<String> triggers() {
        return EventTypes.PURCHASE.equals(type) && firstOrder ? Set.of(EventTypes.PURCHASE, EventTypes.FIRST_ORDER)
            : Set.of(type);
    }
}
