package io.pointbridge.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A throwaway PostgreSQL database for one test JVM, with the two roles the application needs: the
 * schema owner Flyway runs as, and the runtime role that owns nothing and cannot bypass row-level
 * security. Where Docker runs, Testcontainers provides the server; elsewhere the local one (superuser
 * {@code postgres}, trust auth) does. The database is dropped when the JVM exits.
 */
public final class TestDatabase {

    public static final String OWNER = "pointbridge_owner";
    public static final String OWNER_PASSWORD = "owner-dev";
    public static final String APP = "pointbridge_app";
    public static final String APP_PASSWORD = "app-dev";

    private static TestDatabase shared;

    private final String serverUrl;
    private final String superuser;
    private final String superuserPassword;
    private final String name;

    private TestDatabase(String serverUrl, String superuser, String superuserPassword) {
        this.serverUrl = serverUrl;
        this.superuser = superuser;
        this.superuserPassword = superuserPassword;
        this.name = "pb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The database of this JVM, created on first use. */
    public static synchronized TestDatabase shared() {
        if (shared == null) {
            shared = useDocker() ? fromContainer() : new TestDatabase(
                env("POINTBRIDGE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/"),
                env("POINTBRIDGE_TEST_PG_SUPERUSER", "postgres"), env("POINTBRIDGE_TEST_PG_PASSWORD", ""));
            shared.create();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::drop));
        }
        return shared;
    }

    public String name() {
        return name;
    }

    public String url() {
        return serverUrl + name;
    }

    /** A connection as the runtime role, as the application has. */
    public Connection connectAsApp() throws SQLException {
        return DriverManager.getConnection(url(), APP, APP_PASSWORD);
    }

    /** A connection as the superuser, for checks of the schema itself. */
    public Connection connectAsSuperuser() throws SQLException {
        return DriverManager.getConnection(url(), superuser, superuserPassword);
    }

    private void create() {
        try (var connection = DriverManager.getConnection(serverUrl + "postgres", superuser, superuserPassword);
                var statement = connection.createStatement()) {
            statement.execute(ensureRole(OWNER, OWNER_PASSWORD, ""));
            statement.execute(ensureRole(APP, APP_PASSWORD, " nosuperuser nobypassrls nocreatedb nocreaterole"));
            statement.execute("create database " + name + " owner " + OWNER);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test database on " + serverUrl
                + " (is PostgreSQL running? ./pointbridge test starts it)", e);
        }
        try (var connection = connectAsSuperuser(); var statement = connection.createStatement()) {
            statement.execute("alter schema public owner to " + OWNER);
            statement.execute("revoke create on schema public from public");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void drop() {
        try (var connection = DriverManager.getConnection(serverUrl + "postgres", superuser, superuserPassword);
                var statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException ignored) {
            // The server may be gone already; a leftover database does no harm to the next run.
        }
    }

    private static String ensureRole(String role, String password, String attributes) {
        return """
            do $$ begin
              if not exists (select from pg_roles where rolname = '%1$s') then
                create role %1$s login password '%2$s'%3$s;
              end if;
            end $$""".formatted(role, password, attributes);
    }

    private static boolean useDocker() {
        if (!"true".equals(System.getenv("POINTBRIDGE_TEST_TESTCONTAINERS"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static TestDatabase fromContainer() {
        var container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        var base = container.getJdbcUrl().substring(0, container.getJdbcUrl().lastIndexOf('/') + 1);
        return new TestDatabase(base, container.getUsername(), container.getPassword());
    }

    private static String env(String name, String fallback) {
        var value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
