package io.pointbridge.exchange.settlement;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** What one point of a program is worth in the group's settlement currency (major units, exact), since when. */
public record ProgramValue(UUID programId, BigDecimal pointValue, String currency, String setBy, Instant setAt) {
}
