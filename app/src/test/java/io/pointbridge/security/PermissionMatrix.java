package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The table of {@code docs/permissions.md}: every endpoint the API serves, and what each caller may do with it.
 * The tests that go over every endpoint (the permission matrix, the cross-tenant sweep, the injection probes)
 * read their endpoints here, so that a new row is covered by all of them.
 */
public final class PermissionMatrix {

    static final String FILE = "docs/permissions.md";
    static final String DENIED = "—";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");

    private PermissionMatrix() {
    }

    /** The callers, named as the matrix's columns. */
    public enum Caller {
        OPERATOR("operator"), TENANT_ADMIN("tenant-admin"), BRAND_MANAGER("brand-manager"),
        SUPPORT_AGENT("support-agent"), MEMBER("member"), INTEGRATION("integration"), ANONYMOUS("anonymous");

        final String column;

        Caller(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }
    }

    /** One row's endpoint: a method and a path template such as {@code /api/v1/members/{memberId}}. */
    public record Endpoint(String method, String path) {

        /** The names of the path's placeholders, in order, e.g. {@code memberId}. */
        public List<String> placeholders() {
            var names = new ArrayList<String>();
            var matcher = PLACEHOLDER.matcher(path);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        }

        public boolean writes() {
            return !method.equals("GET");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every row: endpoint → caller → scope (e.g. {@code tenant}, {@code brand}) or {@link #DENIED}. */
    public static Map<Endpoint, Map<Caller, String>> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(repositoryRoot().resolve(FILE));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        var start = lines.indexOf("<!-- permission-matrix:start -->");
        var end = lines.indexOf("<!-- permission-matrix:end -->");
        assertThat(start).as("matrix markers in " + FILE).isNotNegative().isLessThan(end);
        var header = cells(lines.get(start + 1));
        var columns = header.subList(2, header.size());
        assertThat(columns).containsExactly(Arrays.stream(Caller.values()).map(Caller::column).toArray(String[]::new));
        var matrix = new LinkedHashMap<Endpoint, Map<Caller, String>>();
        for (var line : lines.subList(start + 3, end)) {
            var row = cells(line);
            assertThat(row).as(line).hasSize(header.size());
            var scopes = new EnumMap<Caller, String>(Caller.class);
            for (int i = 0; i < columns.size(); i++) {
                scopes.put(Caller.values()[i], row.get(i + 2));
            }
            var previous = matrix.put(new Endpoint(row.get(0), row.get(1)), scopes);
            assertThat(previous).as("one row per endpoint: " + line).isNull();
        }
        return matrix;
    }

    /** Whether the scope of a cell allows the call at all. */
    public static boolean allows(String scope) {
        return !DENIED.equals(scope);
    }

    private static List<String> cells(String line) {
        var trimmed = line.strip();
        return Arrays.stream(trimmed.substring(1, trimmed.length() - 1).split("\\|")).map(String::strip).toList();
    }

    /** The checkout's root: the first directory upwards from the working directory that holds the matrix. */
    public static Path repositoryRoot() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(FILE))) {
                return dir;
            }
        }
        throw new IllegalStateException("No " + FILE + " above " + Path.of("").toAbsolutePath());
    }
}
