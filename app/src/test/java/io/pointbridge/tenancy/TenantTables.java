package io.pointbridge.tenancy;

import io.pointbridge.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The tenant tables of the migrated schema, read from the catalog so that a new table is covered without a test change. */
public final class TenantTables {

    /** Every table of schema public but Flyway's own history is a tenant table. */
    static final String TENANT_TABLES = """
            select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> 'flyway_schema_history'
            """;

    private TenantTables() {
    }

    /** The tenant tables' names, in name order. */
    public static List<String> names() {
        try (var connection = TestDatabase.shared().connectAsSuperuser()) {
            return names(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> names(Connection connection) throws SQLException {
        var names = new ArrayList<String>();
        try (var statement = connection.createStatement();
                var rows = statement.executeQuery(TENANT_TABLES + " order by c.relname")) {
            while (rows.next()) {
                names.add(rows.getString("relname"));
            }
        }
        return names;
    }

    /** Per table, a digest of every row the tenant has in it, read past row-level security; equal digests mean nothing changed. */
    public static Map<String, String> fingerprint(UUID tenant) {
        var digests = new LinkedHashMap<String, String>();
        try (var connection = TestDatabase.shared().connectAsSuperuser()) {
            for (var table : names(connection)) {
                try (var statement = connection.prepareStatement("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "
                        + quoted(table) + " t where tenant_id = ?")) {
                    statement.setObject(1, tenant);
                    try (var rows = statement.executeQuery()) {
                        rows.next();
                        digests.put(table, rows.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return digests;
    }

    /** How many rows the tenant has in the table, read past row-level security. */
    static long rowsOf(UUID tenant, String table) {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("select count(*) from " + quoted(table) + " where tenant_id = ?")) {
            statement.setObject(1, tenant);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
