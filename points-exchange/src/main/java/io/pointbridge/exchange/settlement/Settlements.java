package io.pointbridge.exchange.settlement;

import io.pointbridge.exchange.internal.Decimals;
import io.pointbridge.exchange.settlement.SettlementRecord.Kind;
import io.pointbridge.exchange.settlement.SettlementStatement.PairLine;
import io.pointbridge.exchange.settlement.SettlementStatement.Position;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.tenancy.Brand;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records the value each transfer moved between brands, and sums the records into statements.
 *
 * <p>Rounding: a transfer's value is ⌊(S − F) × point value of the source program⌋ in minor units of the
 * settlement currency, computed once and recorded once, as the payee's receivable and the payer's payable;
 * its reversal records exactly the negated amount. Nothing is rounded twice, so receivables and payables
 * match to the minor unit and the group's positions net to zero.
 */
@Service
public class Settlements {

    public static final int MAX_STATEMENT_DAYS = 366;

    private final JdbcClient jdbc;
    private final ProgramValues values;
    private final TenantManagement tenancy;

    Settlements(JdbcClient jdbc, ProgramValues values, TenantManagement tenancy) {
        this.jdbc = jdbc;
        this.values = values;
        this.tenancy = tenancy;
    }

    /** The value of points at a point value, in minor units of the currency, rounded down. */
    public static long minorUnits(long points, BigDecimal pointValue, Currency currency) {
        return BigDecimal.valueOf(points).multiply(pointValue).movePointRight(fractionDigits(currency))
            .setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /**
     * Records what a transfer moved: {@code points} (S − F) of the source program at its current value, owed by
     * the payer (source) brand to the payee (target) brand. Joins the transfer's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public SettlementRecord recordTransfer(UUID transferId, UUID payerBrandId, UUID payeeBrandId, UUID sourceProgramId,
            long points, Instant at) {
        var value = values.require(sourceProgramId);
        long amount = minorUnits(points, value.pointValue(), Currency.getInstance(value.currency()));
        return insert(transferId, Kind.TRANSFER, payerBrandId, payeeBrandId, sourceProgramId, points,
            value.pointValue(), value.currency(), amount, at);
    }

    /** Records the reversal of a transfer: its record negated, at the time of the reversal. */
    @Transactional(propagation = Propagation.MANDATORY)
    public SettlementRecord recordReversal(UUID transferId, Instant at) {
        var original = ofTransfer(transferId).orElseThrow(
            () -> new IllegalStateException("transfer " + transferId + " has no settlement record"));
        return insert(transferId, Kind.REVERSAL, original.payerBrandId(), original.payeeBrandId(),
            original.sourceProgramId(), -original.points(), original.pointValue(), original.currency(),
            -original.amountMinor(), at);
    }

    @Transactional(readOnly = true)
    public Optional<SettlementRecord> ofTransfer(UUID transferId) {
        return jdbc.sql("""
                select * from settlement_records
                 where tenant_id = :tenant and transfer_id = :transfer and kind = 'TRANSFER'""")
            .param("tenant", TenantContext.require()).param("transfer", transferId)
            .query(Settlements::record)
            .optional();
    }

    /**
     * The statement of the records made in [{@code from}, {@code to}) (UTC days), of all brand pairs or only
     * of those the given brand is part of.
     */
    @Transactional(readOnly = true)
    public SettlementStatement statement(LocalDate from, LocalDate to, @Nullable UUID brandId) {
        if (!to.isAfter(from)) {
            throw new InvalidRequest("to", "must be after from");
        }
        if (ChronoUnit.DAYS.between(from, to) > MAX_STATEMENT_DAYS) {
            throw new InvalidRequest("to", "a statement covers at most " + MAX_STATEMENT_DAYS + " days");
        }
        var tenant = tenancy.currentTenant();
        var currency = Currency.getInstance(tenant.settlementCurrency());
        var codes = tenancy.brands().stream().collect(Collectors.toMap(Brand::id, Brand::code, (a, b) -> a));
        Function<UUID, String> code = brand -> codes.getOrDefault(brand, brand.toString());
        var pairs = jdbc.sql("""
                select payer_brand_id, payee_brand_id,
                       count(*) filter (where kind = 'TRANSFER') as transfers,
                       count(*) filter (where kind = 'REVERSAL') as reversals,
                       sum(amount_minor) as amount
                  from settlement_records
                 where tenant_id = :tenant and recorded_at >= :from and recorded_at < :to
                   and (cast(:brand as uuid) is null or payer_brand_id = :brand or payee_brand_id = :brand)
                 group by payer_brand_id, payee_brand_id""")
            .param("tenant", tenant.id()).param("from", startOf(from)).param("to", startOf(to)).param("brand", brandId)
            .query((rs, row) -> {
                var payer = rs.getObject("payer_brand_id", UUID.class);
                var payee = rs.getObject("payee_brand_id", UUID.class);
                long amount = rs.getLong("amount");
                return new PairLine(payer, code.apply(payer), payee, code.apply(payee), rs.getLong("transfers"),
                    rs.getLong("reversals"), amount, major(amount, currency));
            })
            .list()
            .stream()
            .sorted(Comparator.comparing(PairLine::payerBrandCode).thenComparing(PairLine::payeeBrandCode))
            .toList();
        var receivable = new LinkedHashMap<UUID, Long>();
        var payable = new LinkedHashMap<UUID, Long>();
        for (var pair : pairs) {
            receivable.merge(pair.payeeBrandId(), pair.amountMinor(), Math::addExact);
            payable.merge(pair.payerBrandId(), pair.amountMinor(), Math::addExact);
        }
        var brands = new ArrayList<UUID>(receivable.keySet());
        payable.keySet().stream().filter(brand -> !receivable.containsKey(brand)).forEach(brands::add);
        var positions = brands.stream()
            .map(brand -> {
                long in = receivable.getOrDefault(brand, 0L);
                long out = payable.getOrDefault(brand, 0L);
                return new Position(brand, code.apply(brand), in, out, in - out, major(in - out, currency));
            })
            .sorted(Comparator.comparing(Position::brandCode))
            .toList();
        long net = positions.stream().mapToLong(Position::netMinor).sum();
        return new SettlementStatement(currency.getCurrencyCode(), from, to, pairs, positions, net);
    }

    private SettlementRecord insert(UUID transferId, Kind kind, UUID payer, UUID payee, UUID sourceProgram, long points,
            BigDecimal pointValue, String currency, long amount, Instant at) {
        var id = UUID.randomUUID();
        jdbc.sql("""
                insert into settlement_records (tenant_id, record_id, transfer_id, kind, payer_brand_id, payee_brand_id,
                    source_program_id, points, point_value, currency, amount_minor, recorded_at)
                values (:tenant, :id, :transfer, :kind, :payer, :payee, :program, :points, :value, :currency,
                        :amount, :at)""")
            .param("tenant", TenantContext.require()).param("id", id).param("transfer", transferId)
            .param("kind", kind.name()).param("payer", payer).param("payee", payee).param("program", sourceProgram)
            .param("points", points).param("value", pointValue).param("currency", currency).param("amount", amount)
            .param("at", at.atOffset(ZoneOffset.UTC))
            .update();
        return new SettlementRecord(id, transferId, kind, payer, payee, sourceProgram, points, pointValue, currency,
            amount, at);
    }

    /** Minor units as a plain decimal in major units, e.g. 1234 EUR cents as "12.34". */
    static String major(long minor, Currency currency) {
        return BigDecimal.valueOf(minor, fractionDigits(currency)).toPlainString();
    }

    /** Digits of the minor unit; none for currencies without one (ISO gives -1 for e.g. XAU). */
    private static int fractionDigits(Currency currency) {
        return Math.max(0, currency.getDefaultFractionDigits());
    }

    private static OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static SettlementRecord record(ResultSet rs, int row) throws SQLException {
        return new SettlementRecord(rs.getObject("record_id", UUID.class), rs.getObject("transfer_id", UUID.class),
            Kind.valueOf(rs.getString("kind")), rs.getObject("payer_brand_id", UUID.class),
            rs.getObject("payee_brand_id", UUID.class), rs.getObject("source_program_id", UUID.class),
            rs.getLong("points"), Decimals.plain(rs.getBigDecimal("point_value")), rs.getString("currency"),
            rs.getLong("amount_minor"), rs.getObject("recorded_at", OffsetDateTime.class).toInstant());
    }
}
