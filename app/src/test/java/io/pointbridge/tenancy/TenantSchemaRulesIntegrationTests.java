package io.pointbridge.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks the tenancy rules of ARCHITECTURE.md on the migrated schema itself, naming every table that breaks one. */
class TenantSchemaRulesIntegrationTests extends IntegrationTest {

    private static final String APP = TestDatabase.APP;

    /** History is corrected by reversing entries, never rewritten; so are members' events, awards and tier changes. */
    private static final List<String> APPEND_ONLY = List.of("journal_entries", "postings", "lot_movements",
        "member_events", "earning_rule_awards", "qualifying_activity", "tier_changes");

    /**
     * Unique keys that may leave tenant_id out, with the reason. A slug names one tenant platform-wide: it is
     * the Keycloak organization alias tokens are mapped by, so its uniqueness cannot be per tenant. Under Citus
     * the tenants registry would be a reference table, where such a key is allowed.
     */
    private static final Map<String, String> GLOBAL_UNIQUE_KEYS = Map.of(
        "tenants.tenants_slug_uq", "a slug (Keycloak organization alias) names one tenant platform-wide");

    /**
     * The only functions that run past row-level security: look-ups made before the tenant is known, the list
     * of tenant ids that jobs working tenant by tenant start from, and the tier review job's question which
     * tenants have members due (tenant ids only).
     */
    private static final Set<String> CROSS_TENANT_LOOKUPS = Set.of("tenant_id_by_slug", "active_api_key", "tenant_ids",
        "tenants_with_tier_reviews_due");

    private static final String POLICY_EXPRESSION = "(tenant_id = current_tenant())";

    private Connection catalog;

    @BeforeEach
    void connect() throws SQLException {
        catalog = TestDatabase.shared().connectAsSuperuser();
    }

    @AfterEach
    void disconnect() throws SQLException {
        catalog.close();
    }

    @Test
    void findsTheTenantTablesOfEveryMigration() throws SQLException {
        assertThat(TenantTables.names(catalog)).contains("tenants", "brands", "programs", "persons", "memberships",
            "accounts", "journal_entries", "postings", "lots", "lot_movements", "purchases", "refunds",
            "idempotency_records", "api_keys", "earning_rules", "earning_rule_versions", "earning_rule_usage",
            "earning_rule_awards", "member_events");
    }

    @Test
    void everyTableHasTenantIdFirstInItsPrimaryKey() throws SQLException {
        var offenders = strings("""
                with tables as (%s)
                select t.relname || ': ' || case
                         when k.oid is null then 'no primary key'
                         else 'primary key ' || k.conname || ' starts with ' || a.attname end
                  from tables t
                  left join pg_constraint k on k.conrelid = t.oid and k.contype = 'p'
                  left join pg_attribute a on a.attrelid = t.oid and a.attnum = k.conkey[1]
                 where a.attname is distinct from 'tenant_id'
                 order by 1""".formatted(TenantTables.TENANT_TABLES));

        assertThat(offenders).as("tables whose primary key does not start with tenant_id").isEmpty();
    }

    @Test
    void everyForeignKeyBetweenTenantTablesMatchesTenantIdFirst() throws SQLException {
        var offenders = strings("""
                with tables as (%s)
                select t.relname || '.' || k.conname || ' -> ' || k.confrelid::regclass || ' pairs '
                       || coalesce(a.attname, '?') || ' with ' || coalesce(r.attname, '?')
                  from tables t
                  join pg_constraint k on k.conrelid = t.oid and k.contype = 'f'
                  join tables referenced on referenced.oid = k.confrelid
                  left join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
                  left join pg_attribute r on r.attrelid = k.confrelid and r.attnum = k.confkey[1]
                 where a.attname is distinct from 'tenant_id' or r.attname is distinct from 'tenant_id'
                 order by 1""".formatted(TenantTables.TENANT_TABLES));

        assertThat(offenders).as("foreign keys that do not match tenant_id to tenant_id first").isEmpty();
        assertThat(count("select count(*) from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace"))
            .as("foreign keys checked").isPositive();
    }

    @Test
    void everyUniqueKeyIncludesTenantIdButTheDocumentedGlobalOnes() throws SQLException {
        var withoutTenant = strings("""
                with tables as (%s)
                select t.relname || '.' || x.relname
                  from tables t
                  join pg_index i on i.indrelid = t.oid and i.indisunique
                  join pg_class x on x.oid = i.indexrelid
                 where not exists (select from pg_attribute a
                                    where a.attrelid = t.oid and a.attname = 'tenant_id'
                                      and a.attnum = any ((i.indkey::int2[])[0:i.indnkeyatts - 1]))
                 order by 1""".formatted(TenantTables.TENANT_TABLES));

        assertThat(withoutTenant).as("unique keys without tenant_id (allowed: %s)", GLOBAL_UNIQUE_KEYS)
            .isSubsetOf(GLOBAL_UNIQUE_KEYS.keySet());
    }

    @Test
    void everyTableEnforcesRowLevelSecurityOnTheCurrentTenant() throws SQLException {
        var withoutRls = strings("""
                with tables as (%s)
                select t.relname from tables t join pg_class c on c.oid = t.oid
                 where not c.relrowsecurity
                    or not exists (select from pg_policy p where p.polrelid = t.oid)
                 order by 1""".formatted(TenantTables.TENANT_TABLES));
        var otherPolicies = strings("""
                with tables as (%1$s)
                select t.relname || '.' || p.polname || ' using ' || coalesce(pg_get_expr(p.polqual, p.polrelid), 'nothing')
                       || ' with check ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), 'as using')
                  from tables t join pg_policy p on p.polrelid = t.oid
                 where p.polpermissive and (p.polcmd <> '*'
                    or pg_get_expr(p.polqual, p.polrelid) is distinct from '%2$s'
                    or coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '%2$s') <> '%2$s')
                 order by 1""".formatted(TenantTables.TENANT_TABLES, POLICY_EXPRESSION));

        assertSoftly(softly -> {
            softly.assertThat(withoutRls).as("tables without row-level security or without a policy").isEmpty();
            softly.assertThat(otherPolicies).as("permissive policies other than %s for all commands", POLICY_EXPRESSION)
                .isEmpty();
        });
    }

    @Test
    void runtimeRoleOwnsNothingAndCannotBypassRowLevelSecurity() throws SQLException {
        var powers = strings("""
                select 'superuser' from pg_roles where rolname = '%1$s' and rolsuper
                union all select 'bypassrls' from pg_roles where rolname = '%1$s' and rolbypassrls
                union all select 'createrole' from pg_roles where rolname = '%1$s' and rolcreaterole
                union all select 'member of ' || r.rolname from pg_roles r
                           where r.rolname <> '%1$s' and pg_has_role('%1$s', r.oid, 'MEMBER')
                             and (r.rolsuper or r.rolbypassrls)
                """.formatted(APP));
        var owned = strings("""
                select case when c.relkind in ('r', 'p') then 'table ' when c.relkind = 'S' then 'sequence '
                            else 'relation ' end || c.relname from pg_class c
                 where c.relnamespace = 'public'::regnamespace and pg_has_role('%1$s', c.relowner, 'MEMBER')
                union all
                select 'function ' || p.proname from pg_proc p
                 where p.pronamespace = 'public'::regnamespace and pg_has_role('%1$s', p.proowner, 'MEMBER')
                union all
                select 'schema ' || n.nspname from pg_namespace n
                 where n.nspname = 'public' and pg_has_role('%1$s', n.nspowner, 'MEMBER')
                union all
                select 'may create in schema public' where has_schema_privilege('%1$s', 'public', 'CREATE')
                 order by 1""".formatted(APP));

        assertSoftly(softly -> {
            softly.assertThat(powers).as("powers of %s", APP).isEmpty();
            softly.assertThat(owned).as("what %s owns or may create", APP).isEmpty();
        });
    }

    @Test
    void runtimeRoleCannotChangeOrRemoveHistory() throws SQLException {
        var offenders = new ArrayList<String>();
        for (var table : APPEND_ONLY) {
            offenders.addAll(strings("""
                    select '%2$s: ' || privilege from unnest(array['UPDATE', 'DELETE', 'TRUNCATE']) privilege
                     where has_table_privilege('%1$s', 'public.%2$s', privilege)
                    union all
                    select '%2$s: UPDATE of some column' where has_any_column_privilege('%1$s', 'public.%2$s', 'UPDATE')
                    """.formatted(APP, table)));
        }

        assertThat(offenders).as("privileges of %s that could rewrite history", APP).isEmpty();
        assertThat(strings("select 'may append to ' || t"
                + " from unnest(array['" + String.join("', '", APPEND_ONLY) + "']) t"
                + " where has_table_privilege('" + APP + "', 'public.' || t, 'INSERT')"))
            .as("the runtime role still appends to history").hasSize(APPEND_ONLY.size());
    }

    @Test
    void onlyTheDocumentedLookUpsRunPastRowLevelSecurity() throws SQLException {
        var definers = strings("""
                select p.proname from pg_proc p
                 where p.pronamespace = 'public'::regnamespace and p.prosecdef order by 1""");
        var unpinned = strings("""
                select p.proname from pg_proc p
                 where p.pronamespace = 'public'::regnamespace and p.prosecdef
                   and not coalesce(p.proconfig, '{}') @> array['search_path=public']
                 order by 1""");
        var openToAll = strings("""
                select p.proname from pg_proc p
                 where p.pronamespace = 'public'::regnamespace and p.prosecdef
                   and has_function_privilege('public', p.oid, 'EXECUTE')
                 order by 1""");

        assertSoftly(softly -> {
            softly.assertThat(definers).as("security definer functions").containsExactlyInAnyOrderElementsOf(CROSS_TENANT_LOOKUPS);
            softly.assertThat(unpinned).as("security definer functions without a pinned search_path").isEmpty();
            softly.assertThat(openToAll).as("security definer functions every role may execute").isEmpty();
        });
    }

    private List<String> strings(String sql) throws SQLException {
        var values = new ArrayList<String>();
        try (var statement = catalog.createStatement(); var rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private long count(String sql) throws SQLException {
        try (var statement = catalog.createStatement(); var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
