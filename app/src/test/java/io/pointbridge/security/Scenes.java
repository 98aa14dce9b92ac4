package io.pointbridge.security;

import io.pointbridge.exchange.ExchangeFixtures;
import io.pointbridge.exchange.ExchangeFixtures.Terms;
import io.pointbridge.exchange.transfer.Quotes;
import io.pointbridge.exchange.transfer.Quotes.NewQuote;
import io.pointbridge.exchange.transfer.Transfers;
import io.pointbridge.reward.RewardFixtures;
import io.pointbridge.reward.RewardFixtures.Spec;
import io.pointbridge.tenant.access.BrandGrants;
import io.pointbridge.tenant.apikey.ApiKeys;
import io.pointbridge.tenant.expiry.PointsJob;
import io.pointbridge.tenant.expiry.PointsJobs;
import io.pointbridge.tenant.identity.MemberLogins;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.purchase.Purchases;
import io.pointbridge.tenant.purchase.Purchases.NewPurchase;
import io.pointbridge.tenant.referral.Referrals;
import io.pointbridge.tenant.referral.Referrals.NewTerms;
import io.pointbridge.tenant.reward.Redemptions;
import io.pointbridge.tenant.rule.EarningRules;
import io.pointbridge.tenant.rule.RuleDefinition;
import io.pointbridge.tenant.rule.RuleDefinition.Action;
import io.pointbridge.tenant.tier.Qualification.AtLeast;
import io.pointbridge.tenant.tier.TierScheme.LevelSettings;
import io.pointbridge.tenant.tier.TierScheme.Settings;
import io.pointbridge.tenant.tier.TierSchemes;
import io.pointbridge.tenant.tier.TierWindow;
import io.pointbridge.testing.Fixtures;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.KeycloakRealm;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Makes {@link Scene}s: a group's objects of every id kind, through the application's services and the
 * features' fixtures, attributed to {@code test:scenes}. What a group's scenes share is set up once per group: its
 * cafe and cinema convert both ways at 1:1; its cafe program has three tiers, offers referrals, a voucher and a gift.
 * A {@link Member}'s scenes are about the member's own person, whose memberships, quotes and transfers the
 * {@code /api/v1/me} rows name.
 */
@Component
public class Scenes {

    private static final String ACTOR = "test:scenes";
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final long POINTS = 1_000;

    private final Fixtures fixtures;
    private final ExchangeFixtures exchange;
    private final RewardFixtures rewards;
    private final ApiKeys apiKeys;
    private final BrandGrants grants;
    private final Ledger ledger;
    private final Purchases purchases;
    private final Quotes quotes;
    private final Transfers transfers;
    private final EarningRules rules;
    private final Redemptions redemptions;
    private final Referrals referrals;
    private final PointsJobs jobs;
    private final TierSchemes tiers;
    private final MemberLogins logins;
    private final Map<UUID, Shared> shared = new ConcurrentHashMap<>();

    /** What every scene of a group uses. */
    private record Shared(String rateId, UUID voucherId, UUID giftId) {
    }

    /**
     * A member of a group who signs in with their own token: a Keycloak user of the group's organization with the
     * realm role {@code member} and a verified email, which the cafe and the cinema enrolled one person with, also
     * verified, so that the member's first own call links their sign-in ({@code subject}) to that person.
     *
     * @param memberships the person's memberships: the cafe's (holding points), then the cinema's
     */
    public record Member(String username, String password, String subject, List<Membership> memberships) {

        public UUID personId() {
            return memberships.getFirst().personId();
        }
    }

    Scenes(Fixtures fixtures, ExchangeFixtures exchange, RewardFixtures rewards, ApiKeys apiKeys, BrandGrants grants,
            Ledger ledger, Purchases purchases, Quotes quotes, Transfers transfers, EarningRules rules,
            Redemptions redemptions, Referrals referrals, PointsJobs jobs, TierSchemes tiers, MemberLogins logins) {
        this.fixtures = fixtures;
        this.exchange = exchange;
        this.rewards = rewards;
        this.apiKeys = apiKeys;
        this.grants = grants;
        this.ledger = ledger;
        this.purchases = purchases;
        this.quotes = quotes;
        this.transfers = transfers;
        this.rules = rules;
        this.redemptions = redemptions;
        this.referrals = referrals;
        this.jobs = jobs;
        this.tiers = tiers;
        this.logins = logins;
    }

    /** A fresh scene of the group: its objects are made as calls ask for them. */
    public Scene of(Group group) {
        shared(group);
        return new Scene(group, this::make);
    }

    /**
     * A new member of the group, made in the realm (deleted when it closes) and in the group: see {@link Member}.
     * The group must be a Keycloak organization ({@link Fixtures#organization}).
     */
    public Member member(Group group, KeycloakRealm realm) {
        var username = "member-" + UUID.randomUUID().toString().substring(0, 12);
        var password = UUID.randomUUID().toString();
        var email = username + "@members.example";
        var memberships = fixtures.personWithVerifiedEmail(group, email, group.cafe(), group.cinema());
        fixtures.credit(group, memberships.getFirst(), POINTS);
        var subject = realm.createUser(username, password, "member", group.slug(), email, true);
        return new Member(username, password, subject, memberships);
    }

    /**
     * A fresh scene of the group about the member's own person: its member, other member, person, external id and
     * sign-in are the member's, so its quotes and transfers are theirs too; other objects are made afresh.
     */
    public Scene of(Group group, Member member) {
        var scene = of(group);
        var own = member.memberships().getFirst();
        scene.remember(IdKind.MEMBER, own.id().toString());
        scene.remember(IdKind.OTHER_MEMBER, member.memberships().get(1).id().toString());
        scene.remember(IdKind.PERSON, member.personId().toString());
        scene.remember(IdKind.EXTERNAL_ID, own.externalId());
        scene.remember(IdKind.LOGIN_SUBJECT, member.subject());
        return scene;
    }

    /** What the group's scenes share, keyed by its cafe: a tenant may be set up as several groups (demo-group is). */
    private Shared shared(Group group) {
        return shared.computeIfAbsent(group.cafe().brand().id(), cafe -> share(group));
    }

    private Shared share(Group group) {
        var rate = exchange.rate(group, group.cafe(), group.cinema(), Terms.of(1, 1));
        exchange.rate(group, group.cinema(), group.cafe(), Terms.of(1, 1));
        exchange.value(group, group.cafe(), "0.01");
        exchange.value(group, group.cinema(), "0.01");
        fixtures.as(group, () -> referrals.setTerms(group.cafe().program().id(),
            new NewTerms(true, 10, 5, new BigDecimal("5.00"), 30, null), ACTOR, null));
        fixtures.as(group, () -> tiers.configure(group.cafe().program().id(), new Settings(
            new TierWindow(TierWindow.Kind.ROLLING, 12), ZoneOffset.UTC, 0, List.of(
                new LevelSettings("bronze", "Bronze", BigDecimal.ONE, null),
                new LevelSettings("silver", "Silver", new BigDecimal("1.25"), new AtLeast("spend", 10_000)),
                new LevelSettings("gold", "Gold", new BigDecimal("1.5"), new AtLeast("spend", 50_000)))), ACTOR, null));
        return new Shared(rate.id().toString(), rewards.reward(group, Spec.voucher(10)).id(),
            rewards.reward(group, Spec.gift(10)).id());
    }

    private String make(Scene scene, IdKind kind) {
        var group = scene.group();
        var cafe = group.cafe();
        return switch (kind) {
            case TENANT -> group.tenantId().toString();
            case BRAND -> cafe.brand().id().toString();
            case PROGRAM -> cafe.program().id().toString();
            case OTHER_PROGRAM -> group.cinema().program().id().toString();
            case MEMBER -> {
                var memberships = fixtures.person(group, cafe, group.cinema());
                var member = memberships.getFirst();
                fixtures.credit(group, member, POINTS);
                scene.remember(IdKind.PERSON, member.personId().toString());
                scene.remember(IdKind.OTHER_MEMBER, memberships.get(1).id().toString());
                scene.remember(IdKind.EXTERNAL_ID, member.externalId());
                yield member.id().toString();
            }
            case PERSON, OTHER_MEMBER, EXTERNAL_ID -> {
                scene.of(IdKind.MEMBER);
                yield scene.ids().get(kind);
            }
            case ABSORBED_PERSON -> fixtures.member(group, group.cinema()).personId().toString();
            case KEY -> fixtures.as(group, () -> apiKeys.issue(cafe.brand().id(), "scene key", ACTOR)).key().id().toString();
            case ENTRY -> fixtures.as(group, () -> ledger.credit(new Credit(member(scene), 10, EntryKind.ADJUSTMENT,
                AccountKind.ADJUSTMENT, null, "scene credit", ACTOR, null))).entryId().toString();
            case ORDER -> {
                var orderId = "order-" + UUID.randomUUID();
                fixtures.as(group, () -> purchases.record(new NewPurchase(member(scene), orderId, EUR, 5_000, List.of(),
                    ACTOR)));
                yield orderId;
            }
            case GRANT_SUBJECT -> {
                var subject = "scene-" + UUID.randomUUID().toString().substring(0, 8);
                fixtures.as(group, () -> grants.grant(subject, cafe.brand().id(), ACTOR, null));
                yield subject;
            }
            case LOGIN_SUBJECT -> {
                // In the form Keycloak's user ids take; linked by an admin, as a member's sign-in would be.
                var subject = UUID.randomUUID().toString();
                var person = UUID.fromString(scene.of(IdKind.PERSON));
                fixtures.as(group, () -> logins.link(subject, person, "scene: identity checked", ACTOR, null));
                yield subject;
            }
            case RATE -> shared(group).rateId();
            case QUOTE -> quote(scene).toString();
            case TRANSFER -> {
                var quote = quote(scene);
                yield fixtures.as(group, () -> transfers.execute(quote, ACTOR)).id().toString();
            }
            case RULE -> fixtures.as(group, () -> {
                var program = cafe.program().id();
                var name = "Scene rule " + UUID.randomUUID();
                var rule = rules.create(program, rule(name), ACTOR, null).ruleId();
                rules.publish(program, null, ACTOR, null);
                rules.change(program, rule, rule(name + ", changed"), ACTOR, null);
                return rule;
            }).toString();
            case REWARD -> rewards.reward(group, Spec.voucher(10).stock(100L)).id().toString();
            case REDEMPTION -> fixtures.as(group, () -> redemptions.redeem(member(scene),
                shared(group).giftId(), ACTOR)).id().toString();
            case COUPON_CODE -> fixtures.as(group, () -> {
                var member = member(scene);
                var redemption = redemptions.redeem(member, shared(group).voucherId(), ACTOR);
                return redemptions.view(member, redemption.id()).coupon().code();
            });
            case REFERRAL_CODE -> {
                var referrer = fixtures.member(group);
                yield fixtures.as(group, () -> referrals.code(referrer.id())).code();
            }
            case RUN -> fixtures.as(group, () -> finished(jobs.request(PointsJob.PENDING_RELEASE, ACTOR).id())).toString();
            case JOB -> PointsJob.PENDING_RELEASE.slug();
        };
    }

    /** The scene's member names another member of the program as who referred them. */
    public void referred(Scene scene) {
        var code = scene.of(IdKind.REFERRAL_CODE);
        fixtures.as(scene.group(), () -> referrals.claim(member(scene), code, ACTOR));
    }

    private UUID member(Scene scene) {
        return UUID.fromString(scene.of(IdKind.MEMBER));
    }

    private UUID quote(Scene scene) {
        var member = member(scene);
        var target = UUID.fromString(scene.of(IdKind.OTHER_MEMBER));
        return fixtures.as(scene.group(), () -> quotes.quote(new NewQuote(member, target, 10, ACTOR))).id();
    }

    /** Waits for a requested job run to finish, so that it changes nothing later. */
    private UUID finished(UUID runId) {
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (jobs.find(runId).finishedAt() == null) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("points job run " + runId + " did not finish");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return runId;
    }

    private static RuleDefinition rule(String name) {
        return new RuleDefinition(name, null, "purchase", "event.amount > 0", Action.fixed(1), 100, false, null, null,
            null, null, null);
    }
}
