package io.pointbridge.reward;

import io.pointbridge.tenant.reward.Reward;
import io.pointbridge.tenant.reward.RewardKind;
import io.pointbridge.tenant.reward.Rewards;
import io.pointbridge.tenant.reward.Rewards.NewReward;
import io.pointbridge.tenant.reward.Rewards.RewardTerms;
import io.pointbridge.testing.Fixtures;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Reward situations: rewards of a brand's program, made through the catalog service as a tenant admin would. */
@Component
public class RewardFixtures {

    private final Fixtures fixtures;
    private final Rewards rewards;

    RewardFixtures(Fixtures fixtures, Rewards rewards) {
        this.fixtures = fixtures;
        this.rewards = rewards;
    }

    /** A reward's variants: by default an unlimited voucher for everyone, always valid, without per-member limit. */
    public record Spec(RewardKind kind, long cost, @Nullable Long stock, @Nullable Integer perMemberLimit,
            @Nullable Integer minimumTierLevel, @Nullable Instant validFrom, @Nullable Instant validUntil,
            @Nullable Integer couponValidDays, boolean active) {

        public static Spec voucher(long cost) {
            return new Spec(RewardKind.VOUCHER, cost, null, null, null, null, null, null, true);
        }

        public static Spec gift(long cost) {
            return new Spec(RewardKind.GIFT, cost, null, null, null, null, null, null, true);
        }

        public Spec stock(@Nullable Long items) {
            return new Spec(kind, cost, items, perMemberLimit, minimumTierLevel, validFrom, validUntil, couponValidDays,
                active);
        }

        public Spec perMember(int limit) {
            return new Spec(kind, cost, stock, limit, minimumTierLevel, validFrom, validUntil, couponValidDays, active);
        }

        public Spec tier(int level) {
            return new Spec(kind, cost, stock, perMemberLimit, level, validFrom, validUntil, couponValidDays, active);
        }

        public Spec window(@Nullable Instant from, @Nullable Instant until) {
            return new Spec(kind, cost, stock, perMemberLimit, minimumTierLevel, from, until, couponValidDays, active);
        }

        public Spec couponDays(int days) {
            return new Spec(kind, cost, stock, perMemberLimit, minimumTierLevel, validFrom, validUntil, days, active);
        }

        public Spec withdrawn() {
            return new Spec(kind, cost, stock, perMemberLimit, minimumTierLevel, validFrom, validUntil, couponValidDays,
                false);
        }
    }

    /** A reward of the group's cafe program. */
    public Reward reward(Group group, Spec spec) {
        return reward(group, group.cafe(), spec);
    }

    public Reward reward(Group group, BrandSetup brand, Spec spec) {
        return reward(group, brand.program().id(), spec);
    }

    public Reward reward(Group group, UUID programId, Spec spec) {
        var terms = new RewardTerms(spec.kind() + " for " + spec.cost(), "made by a test", spec.cost(),
            spec.perMemberLimit(), spec.minimumTierLevel(), spec.validFrom(), spec.validUntil(), spec.couponValidDays(),
            spec.active());
        return fixtures.as(group, () -> rewards.create(new NewReward(programId, spec.kind(), terms, spec.stock()),
            "test:fixtures", null));
    }

    /** The reward as stored now. */
    public Reward current(Group group, Reward reward) {
        return fixtures.as(group, () -> rewards.require(reward.id()));
    }

    /** How many redemptions the tenant has in all, read past row-level security. */
    public static long redemptions(UUID tenant) {
        return count("select count(*) from redemptions where tenant_id = ?", tenant);
    }

    /** The types of the tenant's outbox events, oldest first. */
    public static List<String> outboxTypes(UUID tenant) {
        return strings("select type from outbox_events where tenant_id = ? order by event_seq", tenant);
    }

    static long count(String sql, Object... parameters) {
        return Long.parseLong(strings(sql, parameters).getFirst());
    }

    static List<String> strings(String sql, Object... parameters) {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            var values = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
