package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.PersonalData;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.identity.IdentityFailures.PersonNotFound;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.tenant.member.MemberAccess;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/** Persons and what they hold across the group: each membership with its program, brand and balance. */
@Service
public class Persons {

    private final JdbcClient jdbc;
    private final Wallets wallets;
    private final Contacts contacts;
    private final Consents consents;
    private final MemberAccess access;

    Persons(JdbcClient jdbc, Wallets wallets, Contacts contacts, Consents consents, MemberAccess access) {
        this.jdbc = jdbc;
        this.wallets = wallets;
        this.contacts = contacts;
        this.consents = consents;
        this.access = access;
    }

    /**
     * A person as a tenant admin sees it. A person merged into another keeps only the memberships whose
     * wallets were merged (each naming the membership it went into); {@code mergedInto} names the survivor.
     *
     * @param linkingConsent whether the person consents to linking now; null if never asked
     */
    public record PersonView(UUID id, @Nullable UUID mergedInto, Instant createdAt, List<MembershipBalance> memberships,
            List<PersonContact> contacts, @Nullable Boolean linkingConsent, List<Consent> consents) {

        /** The view for a caller who must not see personal data: external ids masked (contacts show only their kinds). */
        public PersonView withPersonalDataMasked() {
            return new PersonView(id, mergedInto, createdAt, memberships.stream().map(MembershipBalance::withExternalIdMasked)
                .toList(), contacts, linkingConsent, consents);
        }
    }

    /** One membership with its program, brand and points. */
    public record MembershipBalance(UUID memberId, String externalId, UUID brandId, String brandName, UUID programId,
            String programName, String pointsName, long balance, long available, long pending, Instant enrolledAt,
            @Nullable UUID mergedInto) {

        MembershipBalance withExternalIdMasked() {
            return new MembershipBalance(memberId, PersonalData.mask(externalId), brandId, brandName, programId, programName,
                pointsName, balance, available, pending, enrolledAt, mergedInto);
        }
    }

    /** What a brand's integration sees of its member's person: every live membership's points across the group. */
    public record GroupBalances(UUID personId, List<BrandBalance> memberships) {
    }

    /**
     * One membership's points. Only the caller's own brand's memberships name their member and external
     * ids: another brand's customer ids are that brand's business, its balance is what the group shares.
     */
    public record BrandBalance(UUID brandId, String brandName, UUID programId, String programName, String pointsName,
            long balance, long available, @Nullable UUID memberId, @Nullable String externalId) {
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public PersonView view(UUID personId) {
        var person = find(personId).orElseThrow(() -> new PersonNotFound(personId));
        return new PersonView(person.id(), person.mergedInto(), person.createdAt(), memberships(personId),
            contacts.of(personId), consents.current(personId, Consents.IDENTITY_LINKING).orElse(null),
            consents.history(personId));
    }

    /** The balances across the group of the person behind a member the caller may act on. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public GroupBalances groupBalances(Caller caller, UUID memberId) {
        var member = access.require(caller, memberId);
        var person = live(member.personId());
        var balances = memberships(person).stream()
            .filter(membership -> membership.mergedInto() == null)
            .map(membership -> {
                var own = caller.mayActOnBrand(membership.brandId());
                return new BrandBalance(membership.brandId(), membership.brandName(), membership.programId(),
                    membership.programName(), membership.pointsName(), membership.balance(), membership.available(),
                    own ? membership.memberId() : null, own ? PersonalData.shown(caller, membership.externalId()) : null);
            })
            .toList();
        return new GroupBalances(person, balances);
    }

    /** What a member sees of their own points: every membership of theirs across the group, with its member id. */
    public record OwnBalances(UUID personId, List<OwnBalance> memberships) {
    }

    /** One of the member's memberships with its brand, program and points; no brand's customer id. */
    public record OwnBalance(UUID memberId, UUID brandId, String brandName, UUID programId, String programName,
            String pointsName, long balance, long available, long pending, Instant enrolledAt) {
    }

    /** The balances of a live person in every program of the group, for the member themselves. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public OwnBalances ownBalances(UUID personId) {
        var balances = memberships(personId).stream()
            .filter(membership -> membership.mergedInto() == null)
            .map(membership -> new OwnBalance(membership.memberId(), membership.brandId(), membership.brandName(),
                membership.programId(), membership.programName(), membership.pointsName(), membership.balance(),
                membership.available(), membership.pending(), membership.enrolledAt()))
            .toList();
        return new OwnBalances(personId, balances);
    }

    /** The persons merged into this one, oldest merge first (merges keep chains one hop long, so these are all). */
    @Transactional(readOnly = true)
    public List<UUID> mergedInto(UUID personId) {
        return jdbc.sql("""
                select person_id from persons where tenant_id = :tenant and merged_into = :person order by merged_at, person_id""")
            .param("tenant", TenantContext.require()).param("person", personId)
            .query(UUID.class)
            .list();
    }

    /** When the person's personal data was erased, if it was. */
    @Transactional(readOnly = true)
    public Optional<Instant> erasedAt(UUID personId) {
        return jdbc.sql("select erased_at from persons where tenant_id = :tenant and person_id = :person and erased_at is not null")
            .param("tenant", TenantContext.require()).param("person", personId)
            .query((rs, row) -> rs.getObject("erased_at", OffsetDateTime.class).toInstant())
            .optional();
    }

    /** Refuses to take new personal data for a person whose personal data was erased. */
    void requireNotErased(UUID personId) {
        if (erasedAt(personId).isPresent()) {
            throw new IdentityFailures.PersonErased(personId);
        }
    }

    /** Marks the persons' personal data erased. */
    void markErased(List<UUID> personIds, Instant at) {
        for (var person : personIds) {
            jdbc.sql("update persons set erased_at = :at where tenant_id = :tenant and person_id = :person")
                .param("at", at.atOffset(ZoneOffset.UTC)).param("tenant", TenantContext.require()).param("person", person)
                .update();
        }
    }

    /** The person itself, or the one it was merged into (merges keep that one hop long). */
    @Transactional(readOnly = true)
    public UUID live(UUID personId) {
        var person = find(personId).orElseThrow(() -> new PersonNotFound(personId));
        return person.mergedInto() == null ? person.id() : person.mergedInto();
    }

    record PersonRow(UUID id, @Nullable UUID mergedInto, Instant createdAt) {
    }

    Optional<PersonRow> find(UUID personId) {
        return jdbc.sql("select person_id, merged_into, created_at from persons where tenant_id = :tenant and person_id = :person")
            .param("tenant", TenantContext.require()).param("person", personId)
            .query((rs, row) -> new PersonRow(rs.getObject("person_id", UUID.class), rs.getObject("merged_into", UUID.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant()))
            .optional();
    }

    /** Locks the persons in one order (the same in every caller), so that two merges never deadlock. */
    List<PersonRow> lock(List<UUID> personIds) {
        return personIds.stream().distinct().sorted().map(id -> jdbc.sql("""
                    select person_id, merged_into, created_at from persons
                     where tenant_id = :tenant and person_id = :person for update""")
                .param("tenant", TenantContext.require()).param("person", id)
                .query((rs, row) -> new PersonRow(rs.getObject("person_id", UUID.class),
                    rs.getObject("merged_into", UUID.class), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .optional()
                .orElseThrow(() -> new PersonNotFound(id)))
            .toList();
    }

    /** Marks the person merged into the survivor, and repoints those merged into it before, keeping chains one hop long. */
    void markMerged(UUID absorbed, UUID survivor, Instant at) {
        jdbc.sql("""
                update persons set merged_into = :survivor, merged_at = coalesce(merged_at, :at)
                 where tenant_id = :tenant and (person_id = :absorbed or merged_into = :absorbed)""")
            .param("tenant", TenantContext.require()).param("survivor", survivor).param("absorbed", absorbed)
            .param("at", at.atOffset(ZoneOffset.UTC))
            .update();
    }

    /** The person's memberships with program, brand and points, in the order they were joined. */
    List<MembershipBalance> memberships(UUID personId) {
        var rows = jdbc.sql("""
                select m.membership_id, m.external_id, m.enrolled_at, m.merged_into_membership_id,
                       b.brand_id, b.name as brand_name, p.program_id, p.name as program_name, p.points_name
                  from memberships m
                  join programs p on p.tenant_id = m.tenant_id and p.program_id = m.program_id
                  join brands b on b.tenant_id = p.tenant_id and b.brand_id = p.brand_id
                 where m.tenant_id = :tenant and m.person_id = :person
                 order by m.enrolled_at, m.membership_id""")
            .param("tenant", TenantContext.require()).param("person", personId)
            .query((rs, row) -> new MembershipRow(rs.getObject("membership_id", UUID.class), rs.getString("external_id"),
                rs.getObject("enrolled_at", OffsetDateTime.class).toInstant(), rs.getObject("merged_into_membership_id", UUID.class),
                rs.getObject("brand_id", UUID.class), rs.getString("brand_name"), rs.getObject("program_id", UUID.class),
                rs.getString("program_name"), rs.getString("points_name")))
            .list();
        return rows.stream().map(row -> {
            var balance = wallets.balance(row.memberId());
            return new MembershipBalance(row.memberId(), row.externalId(), row.brandId(), row.brandName(), row.programId(),
                row.programName(), row.pointsName(), balance.balance(), balance.available(), balance.pending(),
                row.enrolledAt(), row.mergedInto());
        }).toList();
    }

    private record MembershipRow(UUID memberId, String externalId, Instant enrolledAt, @Nullable UUID mergedInto,
            UUID brandId, String brandName, UUID programId, String programName, String pointsName) {
    }
}
