package io.pointbridge.privacy;

import io.pointbridge.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Every row of every table, read as text by the superuser (past row-level security), searched for a value. */
final class RawRows {

    private RawRows() {
    }

    /** The tables one of whose rows contains the text, ignoring case. */
    static List<String> tablesContaining(String text) {
        var found = new ArrayList<String>();
        try (var connection = TestDatabase.shared().connectAsSuperuser()) {
            var tables = new ArrayList<String>();
            try (var statement = connection.createStatement();
                    var rows = statement.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (var table : tables) {
                try (var statement = connection.prepareStatement("select exists (select from public.\""
                        + table.replace("\"", "\"\"") + "\" t where strpos(lower(t::text), lower(?)) > 0)")) {
                    statement.setString(1, text);
                    try (var rows = statement.executeQuery()) {
                        rows.next();
                        if (rows.getBoolean(1)) {
                            found.add(table);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** The tables one of whose rows holds the bytes, e.g. in a bytea column (shown in hex in a row's text). */
    static List<String> tablesContaining(byte[] bytes) {
        return tablesContaining(HexFormat.of().formatHex(bytes));
    }

    /** Runs one statement as the superuser, e.g. to tamper with a row as an attacker with database access would. */
    static int execute(String sql, Object... parameters) {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
