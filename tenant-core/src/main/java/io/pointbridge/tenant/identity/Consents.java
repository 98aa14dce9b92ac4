package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Persons' consents, kept with their history: the latest record per purpose is the one in force. */
@Component
class Consents {

    /** Consent to link the person's memberships in the group's brands into one identity. */
    static final String IDENTITY_LINKING = "identity-linking";

    private final JdbcClient jdbc;
    private final Clock clock;

    Consents(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Consent record(UUID person, String purpose, boolean granted, String source) {
        var id = UUID.randomUUID();
        var now = clock.instant();
        jdbc.sql("""
                insert into person_consents (tenant_id, consent_id, person_id, purpose, granted, source, recorded_at)
                values (:tenant, :id, :person, :purpose, :granted, :source, :at)""")
            .param("tenant", TenantContext.require()).param("id", id).param("person", person).param("purpose", purpose)
            .param("granted", granted).param("source", source).param("at", now.atOffset(ZoneOffset.UTC))
            .update();
        return new Consent(purpose, granted, source, now);
    }

    /** The consent in force for the purpose: granted, withdrawn, or empty if never asked. */
    Optional<Boolean> current(UUID person, String purpose) {
        return jdbc.sql("""
                select granted from person_consents where tenant_id = :tenant and person_id = :person and purpose = :purpose
                 order by consent_seq desc limit 1""")
            .param("tenant", TenantContext.require()).param("person", person).param("purpose", purpose)
            .query(Boolean.class)
            .optional();
    }

    /** Every consent the person gave or withdrew, oldest first. */
    List<Consent> history(UUID person) {
        return jdbc.sql("""
                select purpose, granted, source, recorded_at from person_consents
                 where tenant_id = :tenant and person_id = :person order by consent_seq""")
            .param("tenant", TenantContext.require()).param("person", person)
            .query((rs, row) -> new Consent(rs.getString("purpose"), rs.getBoolean("granted"), rs.getString("source"),
                rs.getObject("recorded_at", OffsetDateTime.class).toInstant()))
            .list();
    }
}
