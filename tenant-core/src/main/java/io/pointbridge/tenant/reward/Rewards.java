package io.pointbridge.tenant.reward;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.Cursors;
import io.pointbridge.tenant.reward.RewardFailures.NegativeStock;
import io.pointbridge.tenant.reward.RewardFailures.RewardNotFound;
import io.pointbridge.tenant.reward.RewardFailures.StockUnlimited;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The reward catalog: tenant admins create rewards in a brand's program, change their terms and stock,
 * and withdraw them; integrations read their brand's catalog. Every change is audited with the reward
 * before and after it.
 *
 * <p>Stock is changed relative to what is left ({@link StockChange.Add}) or set outright, each under the
 * reward's row lock, so a restock never loses a redemption that happened meanwhile.
 */
@Service
public class Rewards {

    public static final int MAX_PAGE_SIZE = 100;
    private static final String CURSOR = "rw1";
    private static final String SELECT = """
            select r.*, p.brand_id from rewards r
              join programs p on p.tenant_id = r.tenant_id and p.program_id = r.program_id
            """;

    private final JdbcClient jdbc;
    private final TenantManagement tenancy;
    private final AuditTrail audit;
    private final Clock clock;

    Rewards(JdbcClient jdbc, TenantManagement tenancy, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a tenant admin sets about a reward besides its program, kind and stock. */
    public record RewardTerms(String name, @Nullable String description, long pointsCost,
            @Nullable Integer perMemberLimit, @Nullable Integer minimumTierLevel, @Nullable Instant validFrom,
            @Nullable Instant validUntil, @Nullable Integer couponValidDays, boolean active) {

        public RewardTerms {
            if (pointsCost <= 0) {
                throw new InvalidRequest("pointsCost", "must be at least 1");
            }
            if (perMemberLimit != null && perMemberLimit <= 0) {
                throw new InvalidRequest("perMemberLimit", "must be at least 1, or left out for no limit");
            }
            if (minimumTierLevel != null && minimumTierLevel <= 0) {
                throw new InvalidRequest("minimumTierLevel", "must be at least 1, or left out for every member");
            }
            if (validFrom != null && validUntil != null && !validFrom.isBefore(validUntil)) {
                throw new InvalidRequest("validUntil", "must be after validFrom");
            }
            if (couponValidDays != null && couponValidDays <= 0) {
                throw new InvalidRequest("couponValidDays", "must be at least 1, or left out for no expiry");
            }
        }
    }

    /** A new reward; {@code stock} null means unlimited. */
    public record NewReward(UUID programId, RewardKind kind, RewardTerms terms, @Nullable Long stock) {
        public NewReward {
            if (stock != null && stock < 0) {
                throw new InvalidRequest("stock", "must not be negative");
            }
        }
    }

    /** A change of a reward's stock. */
    public sealed interface StockChange {

        /** Adds items (takes them away when negative) to what is left; refused if it would leave fewer than none. */
        record Add(long items) implements StockChange {
        }

        /** Sets the items left, or makes the stock unlimited when {@code items} is null. */
        record Set(@Nullable Long items) implements StockChange {
            public Set {
                if (items != null && items < 0) {
                    throw new InvalidRequest("set", "must not be negative");
                }
            }
        }
    }

    /** A page of the catalog, oldest reward first; {@code nextCursor} is empty on the last page. */
    public record RewardPage(List<Reward> items, Optional<String> nextCursor) {
    }

    /**
     * Which rewards to list: of one program, or of one brand's programs, or of the tenant; with
     * {@code availableOnly}, only those a member could redeem now (offered, in their window, in stock).
     */
    public record CatalogQuery(@Nullable UUID programId, @Nullable UUID brandId, boolean availableOnly,
            @Nullable String cursor, int limit) {
        public CatalogQuery {
            if (limit < 1 || limit > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE);
            }
        }
    }

    @Transactional
    public Reward create(NewReward reward, String actor, @Nullable String requestId) {
        var tenant = TenantContext.require();
        tenancy.program(reward.programId());
        var id = UUID.randomUUID();
        var now = at(clock.instant());
        var terms = reward.terms();
        jdbc.sql("""
                insert into rewards (tenant_id, reward_id, program_id, kind, name, description, points_cost, stock,
                                     per_member_limit, minimum_tier_level, valid_from, valid_until, coupon_valid_days,
                                     active, created_at, updated_at)
                values (:tenant, :id, :program, :kind, :name, :description, :cost, :stock, :limit, :tier, :from, :until,
                        :couponDays, :active, :now, :now)""")
            .param("tenant", tenant).param("id", id).param("program", reward.programId())
            .param("kind", reward.kind().name()).param("name", terms.name()).param("description", terms.description())
            .param("cost", terms.pointsCost()).param("stock", reward.stock()).param("limit", terms.perMemberLimit())
            .param("tier", terms.minimumTierLevel()).param("from", at(terms.validFrom()))
            .param("until", at(terms.validUntil())).param("couponDays", terms.couponValidDays())
            .param("active", terms.active()).param("now", now)
            .update();
        var created = require(id);
        audit.record(new Change(actor, "reward.created", subject(id), null, created, requestId));
        return created;
    }

    @Transactional
    public Reward update(UUID rewardId, RewardTerms terms, String actor, @Nullable String requestId) {
        var before = lock(rewardId);
        jdbc.sql("""
                update rewards set name = :name, description = :description, points_cost = :cost,
                                   per_member_limit = :limit, minimum_tier_level = :tier, valid_from = :from,
                                   valid_until = :until, coupon_valid_days = :couponDays, active = :active,
                                   updated_at = :now
                 where tenant_id = :tenant and reward_id = :id""")
            .param("name", terms.name()).param("description", terms.description()).param("cost", terms.pointsCost())
            .param("limit", terms.perMemberLimit()).param("tier", terms.minimumTierLevel())
            .param("from", at(terms.validFrom())).param("until", at(terms.validUntil()))
            .param("couponDays", terms.couponValidDays()).param("active", terms.active())
            .param("now", at(clock.instant()))
            .param("tenant", TenantContext.require()).param("id", rewardId)
            .update();
        var after = require(rewardId);
        audit.record(new Change(actor, "reward.updated", subject(rewardId), before, after, requestId));
        return after;
    }

    @Transactional
    public Reward changeStock(UUID rewardId, StockChange change, String actor, @Nullable String requestId) {
        var before = lock(rewardId);
        Long stock = switch (change) {
            case StockChange.Add add -> {
                if (before.stock() == null) {
                    throw new StockUnlimited();
                }
                long after = Math.addExact(before.stock(), add.items());
                if (after < 0) {
                    throw new NegativeStock(before.stock(), add.items());
                }
                yield after;
            }
            case StockChange.Set set -> set.items();
        };
        jdbc.sql("update rewards set stock = :stock, updated_at = :now where tenant_id = :tenant and reward_id = :id")
            .param("stock", stock).param("now", at(clock.instant()))
            .param("tenant", TenantContext.require()).param("id", rewardId)
            .update();
        var after = require(rewardId);
        var details = new LinkedHashMap<String, Object>();
        details.put("stock", before.stock());
        audit.record(new Change(actor, "reward.stock-changed", subject(rewardId), details,
            stockOf(after.stock(), change), requestId));
        return after;
    }

    @Transactional(readOnly = true)
    public Optional<Reward> find(UUID rewardId) {
        return jdbc.sql(SELECT + " where r.tenant_id = :tenant and r.reward_id = :id")
            .param("tenant", TenantContext.require()).param("id", rewardId)
            .query(Rewards::reward)
            .optional();
    }

    @Transactional(readOnly = true)
    public Reward require(UUID rewardId) {
        return find(rewardId).orElseThrow(() -> new RewardNotFound(rewardId));
    }

    @Transactional(readOnly = true)
    public RewardPage catalog(CatalogQuery query) {
        var after = query.cursor() == null ? null : Cursors.decode(CURSOR, query.cursor());
        var rows = jdbc.sql(SELECT + """
                 where r.tenant_id = :tenant
                   and (cast(:program as uuid) is null or r.program_id = :program)
                   and (cast(:brand as uuid) is null or p.brand_id = :brand)
                   and (not :availableOnly or (r.active
                        and (r.valid_from is null or r.valid_from <= :now)
                        and (r.valid_until is null or r.valid_until > :now)
                        and (r.stock is null or r.stock > 0)))
                   and (cast(:after as bigint) is null or r.reward_seq > :after)
                 order by r.reward_seq
                 limit :limit""")
            .param("tenant", TenantContext.require()).param("program", query.programId())
            .param("brand", query.brandId())
            .param("availableOnly", query.availableOnly()).param("now", at(clock.instant()))
            .param("after", after).param("limit", query.limit() + 1)
            .query((rs, row) -> new Row(rs.getLong("reward_seq"), reward(rs, row)))
            .list();
        var page = rows.subList(0, Math.min(query.limit(), rows.size()));
        var next = rows.size() > query.limit()
            ? Optional.of(Cursors.encode(CURSOR, page.getLast().seq())) : Optional.<String>empty();
        return new RewardPage(page.stream().map(Row::reward).toList(), next);
    }

    private record Row(long seq, Reward reward) {
    }

    private Reward lock(UUID rewardId) {
        jdbc.sql("select 1 from rewards where tenant_id = :tenant and reward_id = :id for update")
            .param("tenant", TenantContext.require()).param("id", rewardId)
            .query(Integer.class).optional()
            .orElseThrow(() -> new RewardNotFound(rewardId));
        return require(rewardId);
    }

    private static Object stockOf(@Nullable Long stock, StockChange change) {
        var after = new LinkedHashMap<String, Object>();
        after.put("stock", stock);
        after.put("change", switch (change) {
            case StockChange.Add add -> "add " + add.items();
            case StockChange.Set set -> set.items() == null ? "set unlimited" : "set " + set.items();
        });
        return after;
    }

    static String subject(UUID rewardId) {
        return "reward:" + rewardId;
    }

    static Reward reward(ResultSet rs, int row) throws SQLException {
        return new Reward(rs.getObject("reward_id", UUID.class), rs.getObject("program_id", UUID.class),
            rs.getObject("brand_id", UUID.class), RewardKind.valueOf(rs.getString("kind")), rs.getString("name"),
            rs.getString("description"), rs.getLong("points_cost"), (Long) rs.getObject("stock"),
            (Integer) rs.getObject("per_member_limit"), (Integer) rs.getObject("minimum_tier_level"),
            instant(rs, "valid_from"), instant(rs, "valid_until"), (Integer) rs.getObject("coupon_valid_days"),
            rs.getBoolean("active"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        var value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static @Nullable OffsetDateTime at(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
