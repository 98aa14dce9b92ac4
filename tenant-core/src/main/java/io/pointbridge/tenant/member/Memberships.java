package io.pointbridge.tenant.member;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.internal.TransactionMemo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Enrolls members in programs and finds them. */
@Service
public class Memberships {

    private static final String SELECT = """
            select m.*, p.brand_id from memberships m
              join programs p on p.tenant_id = m.tenant_id and p.program_id = m.program_id
            """;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    Memberships(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** The result of an enrolment: the membership, and whether this call created it. */
    public record Enrolment(Membership membership, boolean created) {
    }

    /**
     * Enrolls the integration's customer in a program as a new person; enrolling the same external id
     * again returns the existing membership, also when two requests race.
     */
    @Transactional
    public Enrolment enroll(UUID programId, String externalId) {
        return enroll(programId, externalId, null);
    }

    /**
     * Enrolls the integration's customer in a program as a membership of the given person, one the
     * caller has found to be the same human (and locked), or of a new person when {@code personId} is
     * null. Enrolling an external id that exists already returns that membership, whoever its person is.
     */
    @Transactional
    public Enrolment enroll(UUID programId, String externalId, @Nullable UUID personId) {
        var tenant = TenantContext.require();
        var existing = byExternalId(programId, externalId);
        if (existing.isPresent()) {
            return new Enrolment(existing.get(), false);
        }
        // Serialises concurrent enrolments of the same customer; the loser then finds the winner's row.
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
            .param("key", tenant + "/" + programId + "/" + externalId)
            .query(Object.class).single();
        existing = byExternalId(programId, externalId);
        if (existing.isPresent()) {
            return new Enrolment(existing.get(), false);
        }
        var person = personId == null ? UUID.randomUUID() : personId;
        var membership = UUID.randomUUID();
        if (personId == null) {
            jdbc.sql("insert into persons (tenant_id, person_id) values (:tenant, :person)")
                .param("tenant", tenant).param("person", person).update();
        }
        jdbc.sql("""
                insert into memberships (tenant_id, membership_id, person_id, program_id, external_id)
                values (:tenant, :membership, :person, :program, :external)""")
            .param("tenant", tenant)
            .param("membership", membership)
            .param("person", person)
            .param("program", programId)
            .param("external", externalId)
            .update();
        events.publishEvent(new MemberEnrolled(tenant, membership, programId));
        return new Enrolment(require(membership), true);
    }

    /** The prefix of the pseudonyms that replace erased persons' external ids; no integration's id should start so. */
    public static final String PSEUDONYM_PREFIX = "erased-";

    /**
     * Replaces the external ids of every membership of the persons with a pseudonym made from the member id
     * ({@code erased-<member id>}): the brand's customer id is personal data, the member id is not. Answers the
     * memberships it changed.
     */
    @Transactional
    public List<UUID> pseudonymise(List<UUID> personIds) {
        var changed = new ArrayList<UUID>();
        TransactionMemo.forgetAll(MEMO);
        for (var person : personIds) {
            changed.addAll(jdbc.sql("""
                    update memberships set external_id = :prefix || membership_id::text
                     where tenant_id = :tenant and person_id = :person and external_id <> :prefix || membership_id::text
                    returning membership_id""")
                .param("prefix", PSEUDONYM_PREFIX).param("tenant", TenantContext.require()).param("person", person)
                .query(UUID.class)
                .list());
        }
        return changed;
    }

    /** Memberships are read once per transaction ({@link TransactionMemo}) under this kind of key. */
    public static final String MEMO = "membership";

    @Transactional(readOnly = true)
    public Optional<Membership> find(UUID membershipId) {
        var tenant = TenantContext.require();
        return TransactionMemo.get(List.of(MEMO, tenant, membershipId), () -> jdbc
            .sql(SELECT + " where m.tenant_id = :tenant and m.membership_id = :membership")
            .param("tenant", tenant)
            .param("membership", membershipId)
            .query(Memberships::membership)
            .optional());
    }

    @Transactional(readOnly = true)
    public Membership require(UUID membershipId) {
        return find(membershipId).orElseThrow(() -> new MemberNotFound(membershipId.toString()));
    }

    /** A person's memberships across the group's programs, oldest first. */
    @Transactional(readOnly = true)
    public List<Membership> ofPerson(UUID personId) {
        return jdbc.sql(SELECT + """
                 where m.tenant_id = :tenant and m.person_id = :person
                 order by m.enrolled_at, m.membership_id""")
            .param("tenant", TenantContext.require())
            .param("person", personId)
            .query(Memberships::membership)
            .list();
    }

    @Transactional(readOnly = true)
    public Optional<Membership> byExternalId(UUID programId, String externalId) {
        return jdbc.sql(SELECT + " where m.tenant_id = :tenant and m.program_id = :program and m.external_id = :external")
            .param("tenant", TenantContext.require())
            .param("program", programId)
            .param("external", externalId)
            .query(Memberships::membership)
            .optional();
    }

    private static Membership membership(ResultSet rs, int row) throws SQLException {
        return new Membership(rs.getObject("membership_id", UUID.class), rs.getObject("person_id", UUID.class),
            rs.getObject("program_id", UUID.class), rs.getObject("brand_id", UUID.class),
            rs.getString("external_id"), rs.getObject("enrolled_at", OffsetDateTime.class).toInstant(),
            rs.getObject("merged_into_membership_id", UUID.class));
    }
}
