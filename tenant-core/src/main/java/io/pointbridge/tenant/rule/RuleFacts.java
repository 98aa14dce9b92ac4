package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.tenancy.Program;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The facts rule conditions read, as CEL sees them: amounts in major units of the currency, dates, weekdays
 * and hours in the program's time zone, and empty strings where a fact is missing (CEL has no null-safe access).
 */
final class RuleFacts {

    private final Map<String, Object> event;
    private final Map<String, Object> member;
    private final LocalDateTime local;

    private RuleFacts(Map<String, Object> event, Map<String, Object> member, LocalDateTime local) {
        this.event = event;
        this.member = member;
        this.local = local;
    }

    static RuleFacts of(Program program, EarningEvent event, MemberProfile profile) {
        var local = LocalDateTime.ofInstant(event.occurredAt(), program.timeZone());
        int digits = Math.max(program.purchaseCurrency().getDefaultFractionDigits(), 0);
        var lines = event.lines().stream().map(line -> line(line, digits)).toList();
        var facts = new HashMap<String, Object>();
        facts.put("type", event.type());
        facts.put("amount", event.amountMinor() == null ? 0.0 : major(event.amountMinor(), digits));
        facts.put("currency", event.currency() == null ? "" : event.currency().getCurrencyCode());
        facts.put("channel", text(event.channel()));
        facts.put("store", text(event.store()));
        facts.put("reference", text(event.reference()));
        facts.put("lines", lines);
        facts.put("skus", event.lines().stream().map(EarningEvent.Line::sku).filter(Objects::nonNull).distinct()
            .toList());
        facts.put("categories", event.lines().stream().map(EarningEvent.Line::category).filter(Objects::nonNull)
            .distinct().toList());
        facts.put("attributes", event.attributes());
        facts.put("occurredAt", event.occurredAt());
        facts.put("date", local.toLocalDate().toString());
        facts.put("weekday", local.getDayOfWeek().name());
        facts.put("hour", (long) local.getHour());
        facts.put("month", (long) local.getMonthValue());
        facts.put("dayOfMonth", (long) local.getDayOfMonth());
        facts.put("firstOrder", event.firstOrder());
        var member = Map.<String, Object>of(
            "id", profile.memberId() == null ? "" : profile.memberId().toString(),
            "tier", text(profile.tier()),
            "tags", List.copyOf(profile.tags()),
            "enrolledAt", profile.enrolledAt() == null ? event.occurredAt() : profile.enrolledAt());
        return new RuleFacts(Map.copyOf(facts), member, local);
    }

    /** The variables of a condition. */
    Map<String, Object> forCondition() {
        return Map.of("event", event, "member", member);
    }

    /** The variables of a line filter, for one line. */
    Map<String, Object> forLine(EarningEvent.Line line, int fractionDigits) {
        return Map.of("event", event, "member", member, "line", line(line, fractionDigits));
    }

    /** When the event happened, in the program's time zone. */
    LocalDateTime local() {
        return local;
    }

    Instant occurredAt() {
        return (Instant) event.get("occurredAt");
    }

    private static Map<String, Object> line(EarningEvent.Line line, int digits) {
        return Map.of("sku", text(line.sku()), "category", text(line.category()), "quantity", line.quantity(),
            "amount", major(line.amountMinor(), digits));
    }

    private static double major(long minor, int digits) {
        return BigDecimal.valueOf(minor, digits).doubleValue();
    }

    private static String text(@Nullable String value) {
        return value == null ? "" : value;
    }
}
