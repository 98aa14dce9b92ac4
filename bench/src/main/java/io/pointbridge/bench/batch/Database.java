package io.pointbridge.bench.batch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Superuser connections to the benchmark's database, for watching the product's jobs from outside. */
public record Database(String jdbcUrl) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    public long count(String sql) throws SQLException {
        try (var connection = connect(); var statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
