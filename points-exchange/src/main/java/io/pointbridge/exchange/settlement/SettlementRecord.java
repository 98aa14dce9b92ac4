package io.pointbridge.exchange.settlement;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Value that crossed between two brands with one transfer (or back with its reversal, negated): a receivable
 * of the payee brand (the target's) and a payable of the payer brand (the source's), in minor units.
 */
public record SettlementRecord(UUID id, UUID transferId, Kind kind, UUID payerBrandId, UUID payeeBrandId,
        UUID sourceProgramId, long points, BigDecimal pointValue, String currency, long amountMinor,
        Instant recordedAt) {

    public enum Kind {
        TRANSFER, REVERSAL
    }
}
