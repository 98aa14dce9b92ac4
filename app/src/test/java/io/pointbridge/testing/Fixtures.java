package io.pointbridge.testing;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.apikey.ApiKeys;
import io.pointbridge.tenant.audit.AuditContext;
import io.pointbridge.tenant.identity.Identities;
import io.pointbridge.tenant.identity.Identities.ContactDetails;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.ledger.LedgerVerification;
import io.pointbridge.tenant.member.MemberEnrolled;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.tenancy.Brand;
import io.pointbridge.tenant.tenancy.Program;
import io.pointbridge.tenant.tenancy.TenancyFailures.TenantSlugTaken;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.tenant.tenancy.TenantManagement.NewBrand;
import io.pointbridge.tenant.tenancy.TenantManagement.NewProgram;
import io.pointbridge.tenant.tenancy.TenantManagement.NewTenant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Situations tests start from, made through the application's own services; what they audit is made by
 * {@code test:fixtures}.
 */
@Component
public class Fixtures {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final String ACTOR = "test:fixtures";

    private final TenantManagement tenancy;
    private final Memberships memberships;
    private final Identities identities;
    private final Ledger ledger;
    private final ApiKeys apiKeys;
    private final LedgerVerification verification;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    Fixtures(TenantManagement tenancy, Memberships memberships, Identities identities, Ledger ledger, ApiKeys apiKeys,
            LedgerVerification verification, JdbcClient jdbc, PlatformTransactionManager transactionManager,
            ApplicationEventPublisher events) {
        this.tenancy = tenancy;
        this.memberships = memberships;
        this.identities = identities;
        this.ledger = ledger;
        this.apiKeys = apiKeys;
        this.verification = verification;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.events = events;
    }

    /** A brand of a group, its one program (1 point per EUR 1.00, expiring after 12 months) and an API key. */
    public record BrandSetup(Brand brand, Program program, String apiKey) {
    }

    /** A new group company with a cafe and a cinema brand. */
    public record Group(UUID tenantId, String slug, BrandSetup cafe, BrandSetup cinema) {
    }

    /** A group of its own, with a unique slug, so that tests never see each other's data. */
    public Group group() {
        return AuditContext.callAs(ACTOR, () -> {
            var slug = "group-" + UUID.randomUUID().toString().substring(0, 8);
            var tenant = tenancy.createTenant(new NewTenant(slug, "Group " + slug, EUR));
            return TenantContext.callAs(tenant.id(), () -> new Group(tenant.id(), slug,
                brand("cafe", "Cafe Stars"), brand("cinema", "Cinema Points")));
        });
    }

    /**
     * The group a Keycloak organization names (tenants are mapped by slug), created on first use, with a
     * fresh cafe and cinema brand on every call; the database is shared by all tests, so it may hold more.
     */
    public Group organization(String slug) {
        return AuditContext.callAs(ACTOR, () -> {
            var tenantId = tenancy.tenantIdBySlug(slug).orElseGet(() -> createTenant(slug));
            var suffix = UUID.randomUUID().toString().substring(0, 8);
            return TenantContext.callAs(tenantId, () -> new Group(tenantId, slug,
                brand("cafe-" + suffix, "Cafe Stars"), brand("cinema-" + suffix, "Cinema Points")));
        });
    }

    private UUID createTenant(String slug) {
        try {
            return tenancy.createTenant(new NewTenant(slug, "Group " + slug, EUR)).id();
        } catch (TenantSlugTaken raceLost) {
            return tenancy.tenantIdBySlug(slug).orElseThrow();
        }
    }

    /**
     * The group of the Keycloak demo users (organization {@code demo-group}), made in this database on first
     * use, so that tests can call the API with their tokens. Tests share it: compare before and after.
     */
    public Group demoGroup() {
        var slug = "demo-group";
        var id = AuditContext.callAs(ACTOR, () -> tenancy.tenantIdBySlug(slug).orElseGet(() -> createTenant(slug)));
        return TenantContext.callAs(id, () -> AuditContext.callAs(ACTOR, () -> new Group(id, slug,
            existingBrand("cafe", "Cafe Stars"), existingBrand("cinema", "Cinema Points"))));
    }

    private BrandSetup existingBrand(String code, String pointsName) {
        return tenancy.brands().stream().filter(brand -> brand.code().equals(code)).findFirst()
            .map(brand -> new BrandSetup(brand, tenancy.programs(Optional.of(brand.id())).getFirst(),
                apiKeys.issue(brand.id(), "test key", "test:fixtures").secret()))
            .orElseGet(() -> brand(code, pointsName));
    }

    /** One more brand of the group, set up as the cafe and the cinema are. */
    public BrandSetup brand(Group group, String code, String pointsName) {
        return as(group, () -> brand(code, pointsName));
    }

    private BrandSetup brand(String code, String pointsName) {
        var brand = tenancy.createBrand(new NewBrand(code, code));
        var program = tenancy.createProgram(brand.id(),
            new NewProgram(code + "-points", pointsName, pointsName, EUR, 1, 100, 12));
        var key = apiKeys.issue(brand.id(), "test key", ACTOR);
        return new BrandSetup(brand, program, key.secret());
    }

    /** A new member of the group's cafe program with no points. */
    public Membership member(Group group) {
        return member(group, group.cafe());
    }

    public Membership member(Group group, BrandSetup brand) {
        return as(group, () -> memberships.enroll(brand.program().id(), "customer-" + UUID.randomUUID()).membership());
    }

    /**
     * One person with a membership in each of the brands' programs, in that order. Until identity linking
     * (issue 3, part 1) lands, the further memberships are linked to the first one's person directly.
     */
    public List<Membership> person(Group group, BrandSetup... brands) {
        var first = member(group, brands[0]);
        var all = new ArrayList<Membership>(List.of(first));
        for (int i = 1; i < brands.length; i++) {
            var program = brands[i].program().id();
            all.add(as(group, () -> transactions.execute(status -> {
                var id = UUID.randomUUID();
                jdbc.sql("""
                        insert into memberships (tenant_id, membership_id, person_id, program_id, external_id)
                        values (:tenant, :id, :person, :program, :external)""")
                    .param("tenant", group.tenantId()).param("id", id).param("person", first.personId())
                    .param("program", program).param("external", "customer-" + UUID.randomUUID())
                    .update();
                events.publishEvent(new MemberEnrolled(group.tenantId(), id, program));
                return memberships.require(id);
            })));
        }
        return all;
    }

    /**
     * One person enrolled by each brand's integration with the same email, which each attests it verified, and the
     * customer's consent to linking: the memberships, in the brands' order, are linked into one person.
     */
    public List<Membership> personWithVerifiedEmail(Group group, String email, BrandSetup... brands) {
        var all = new ArrayList<Membership>();
        for (var brand : brands) {
            all.add(as(group, () -> identities.enroll(brand.program().id(), "customer-" + UUID.randomUUID(),
                ContactDetails.parse(email, true, null, null, true), ACTOR, null).membership()));
        }
        if (all.stream().map(Membership::personId).distinct().count() != 1) {
            throw new IllegalStateException("the enrolments were not linked into one person");
        }
        return all;
    }

    /** Credits points to any member, as one adjustment. */
    public void credit(Group group, Membership member, long points) {
        as(group, () -> ledger.credit(new Credit(member.id(), points, EntryKind.ADJUSTMENT, AccountKind.ADJUSTMENT,
            null, "test balance", "test:fixtures", null)));
    }

    /** A new cafe member holding the given points, credited as one adjustment. */
    public Membership memberWithBalance(Group group, long points) {
        var member = member(group);
        credit(group, member, points);
        return member;
    }

    /** A new cafe member whose points come from several adjustments, one lot each, so that spends cross lots. */
    public Membership memberWithLots(Group group, long... lots) {
        var member = member(group);
        for (long points : lots) {
            as(group, () -> ledger.credit(new Credit(member.id(), points, EntryKind.ADJUSTMENT, AccountKind.ADJUSTMENT,
                null, "test lot", "test:fixtures", null)));
        }
        return member;
    }

    /** The group's broken ledger invariants; empty when all hold. */
    public List<LedgerVerification.Violation> violations(Group group) {
        return violations(group.tenantId());
    }

    /** The broken ledger invariants of any tenant, also one made over the API; empty when all hold. */
    public List<LedgerVerification.Violation> violations(UUID tenantId) {
        return TenantContext.callAs(tenantId, verification::verify);
    }

    /** Runs the work as the group's tenant, with changes attributed to the fixtures in the audit trail. */
    public <T> T as(Group group, Supplier<T> work) {
        return TenantContext.callAs(group.tenantId(), () -> AuditContext.callAs(ACTOR, work));
    }
}
