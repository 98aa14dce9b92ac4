package io.pointbridge.exchange.settlement;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What brands owe each other for transfers recorded in [{@code from}, {@code to}) (UTC days): one line per
 * ordered brand pair (payer → payee) and each brand's net position (receivable − payable). Every record adds
 * to one brand's receivable what it adds to another's payable, so across the group the positions sum to
 * zero: {@code netTotalMinor} is 0 by construction and shown as a check.
 */
public record SettlementStatement(String currency, LocalDate from, LocalDate to, List<PairLine> pairs,
        List<Position> positions, long netTotalMinor) {

    /** Payer brand owes payee brand {@code amountMinor} for {@code transfers} transfers less {@code reversals}. */
    public record PairLine(UUID payerBrandId, String payerBrandCode, UUID payeeBrandId, String payeeBrandCode,
            long transfers, long reversals, long amountMinor, String amount) {
    }

    /** A brand's receivable and payable, and its net: positive means the brand is owed. */
    public record Position(UUID brandId, String brandCode, long receivableMinor, long payableMinor, long netMinor,
            String net) {
    }
}
