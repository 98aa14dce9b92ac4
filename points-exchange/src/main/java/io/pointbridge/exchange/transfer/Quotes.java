package io.pointbridge.exchange.transfer;

import io.pointbridge.exchange.rate.ExchangeRate;
import io.pointbridge.exchange.rate.ExchangeRates;
import io.pointbridge.exchange.rate.RateFailures.ExchangeRateDisabled;
import io.pointbridge.exchange.rate.RateFailures.NoExchangeRate;
import io.pointbridge.exchange.rate.RateFailures.SameProgram;
import io.pointbridge.exchange.settlement.ProgramValues;
import io.pointbridge.exchange.transfer.TransferFailures.BelowMinimum;
import io.pointbridge.exchange.transfer.TransferFailures.ConversionTooSmall;
import io.pointbridge.exchange.transfer.TransferFailures.MembershipsOfDifferentPersons;
import io.pointbridge.exchange.transfer.TransferFailures.OffStep;
import io.pointbridge.exchange.transfer.TransferFailures.QuoteNotFound;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.ledger.LedgerFailures.InsufficientPoints;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.tenant.member.MemberNotFound;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Gives quotes: what converting some points of one membership into another membership of the same person
 * costs and credits, at the pair's rate version in effect, for a short time.
 */
@Service
public class Quotes {

    private final JdbcClient jdbc;
    private final Memberships memberships;
    private final Wallets wallets;
    private final ExchangeRates rates;
    private final ProgramValues values;
    private final UsageCaps caps;
    private final ExchangeSettings settings;
    private final Clock clock;

    Quotes(JdbcClient jdbc, Memberships memberships, Wallets wallets, ExchangeRates rates, ProgramValues values,
            UsageCaps caps, ExchangeSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.memberships = memberships;
        this.wallets = wallets;
        this.rates = rates;
        this.values = values;
        this.caps = caps;
        this.settings = settings;
        this.clock = clock;
    }

    /** A request to convert {@code points} of the source membership into the target membership. */
    public record NewQuote(UUID sourceMemberId, UUID targetMemberId, long points, String actor) {
    }

    /**
     * Quotes the conversion if it could be executed now: same person, two programs, an enabled rate, an amount
     * the rate allows, within the caps, covered by the member's convertible points. Nothing is reserved; the
     * transfer checks again.
     */
    @Transactional
    public Quote quote(NewQuote request) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var source = memberships.require(request.sourceMemberId());
        var target = memberships.find(request.targetMemberId())
            .orElseThrow(() -> new MemberNotFound(request.targetMemberId().toString()));
        var rate = rateFor(source, target, now);
        long points = request.points();
        if (points < rate.minimumPoints()) {
            throw new BelowMinimum(points, rate.minimumPoints());
        }
        if (points % rate.stepPoints() != 0) {
            throw new OffStep(points, rate.stepPoints());
        }
        var conversion = rate.convert(points);
        if (conversion.targetPoints() == 0) {
            throw new ConversionTooSmall(points, conversion.feePoints());
        }
        values.require(source.programId());
        long convertible = wallets.convertible(source.id());
        if (convertible < points) {
            throw new InsufficientPoints(points, convertible);
        }
        caps.check(rate, source.id(), points, now);
        var id = UUID.randomUUID();
        jdbc.sql("""
                insert into exchange_quotes (tenant_id, quote_id, rate_id, person_id, source_membership_id,
                    target_membership_id, source_program_id, target_program_id, source_brand_id, target_brand_id,
                    source_points, fee_points, target_points, created_by, created_at, expires_at)
                values (:tenant, :id, :rate, :person, :source, :target, :sourceProgram, :targetProgram, :sourceBrand,
                    :targetBrand, :points, :fee, :credit, :actor, :now, :expires)""")
            .param("tenant", tenant).param("id", id).param("rate", rate.id()).param("person", source.personId())
            .param("source", source.id()).param("target", target.id())
            .param("sourceProgram", source.programId()).param("targetProgram", target.programId())
            .param("sourceBrand", source.brandId()).param("targetBrand", target.brandId())
            .param("points", points).param("fee", conversion.feePoints()).param("credit", conversion.targetPoints())
            .param("actor", request.actor()).param("now", at(now)).param("expires", at(now.plus(settings.quoteTtl())))
            .update();
        return require(id);
    }

    /**
     * The rate of the memberships' pair in effect now, if they may exchange at all: two programs of one
     * person, and a rate that is enabled.
     */
    ExchangeRate rateFor(Membership source, Membership target, Instant now) {
        if (source.programId().equals(target.programId())) {
            throw new SameProgram(source.programId());
        }
        if (!source.personId().equals(target.personId())) {
            throw new MembershipsOfDifferentPersons(source.id(), target.id());
        }
        var rate = rates.inEffect(source.programId(), target.programId(), now)
            .orElseThrow(() -> new NoExchangeRate(source.programId(), target.programId()));
        if (!rate.enabled()) {
            throw new ExchangeRateDisabled(source.programId(), target.programId());
        }
        return rate;
    }

    @Transactional(readOnly = true)
    public Optional<Quote> find(UUID quoteId) {
        return jdbc.sql("""
                select q.*, r.source_units, r.target_units, t.transfer_id
                  from exchange_quotes q
                  join exchange_rates r on r.tenant_id = q.tenant_id and r.rate_id = q.rate_id
                  left join exchange_transfers t on t.tenant_id = q.tenant_id and t.quote_id = q.quote_id
                 where q.tenant_id = :tenant and q.quote_id = :quote""")
            .param("tenant", TenantContext.require()).param("quote", quoteId)
            .query(Quotes::quote)
            .optional();
    }

    @Transactional(readOnly = true)
    public Quote require(UUID quoteId) {
        return find(quoteId).orElseThrow(() -> new QuoteNotFound(quoteId));
    }

    private static Quote quote(ResultSet rs, int row) throws SQLException {
        return new Quote(rs.getObject("quote_id", UUID.class), rs.getObject("rate_id", UUID.class),
            rs.getObject("person_id", UUID.class), rs.getObject("source_membership_id", UUID.class),
            rs.getObject("target_membership_id", UUID.class), rs.getObject("source_program_id", UUID.class),
            rs.getObject("target_program_id", UUID.class), rs.getObject("source_brand_id", UUID.class),
            rs.getObject("target_brand_id", UUID.class), rs.getLong("source_points"), rs.getLong("fee_points"),
            rs.getLong("target_points"), new Quote.Rate(rs.getLong("source_units"), rs.getLong("target_units")),
            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getObject("transfer_id", UUID.class));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
