package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.security.PermissionMatrix.Endpoint;
import io.pointbridge.testing.Api;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The application's own OpenAPI document ({@code /v3/api-docs}), read for what each endpoint takes: the string
 * fields of its request body and its query parameters, so that tests going over every endpoint find new fields
 * without being told.
 */
public final class ApiDocument {

    private final JsonNode document;

    /**
     * A string field, by its path in the body ({@code lines[].sku}; a map's values {@code attributes.*}) or a query
     * parameter by its name, with its format ({@code uuid}, {@code date-time}, ...; empty if none).
     */
    public record Field(String path, String format) {
    }

    private ApiDocument(JsonNode document) {
        this.document = document;
    }

    /** The document the application serves. */
    public static ApiDocument of(Api api) {
        var served = api.get("/v3/api-docs");
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        return new ApiDocument(served.json());
    }

    public boolean describes(Endpoint endpoint) {
        return !operation(endpoint).isMissingNode();
    }

    public boolean hasRequestBody(Endpoint endpoint) {
        return requestBody(endpoint) != null;
    }

    /**
     * The string fields of the endpoint's request body, none if it takes none. A {@code JsonNode} field, which
     * springdoc describes by its getters (nodeType, valueNode, ...), is one field of free JSON.
     */
    public List<Field> stringFields(Endpoint endpoint) {
        var fields = new ArrayList<Field>();
        var body = requestBody(endpoint);
        if (body != null) {
            collect(body, "", fields, new HashSet<>());
        }
        return fields;
    }

    /** The endpoint's query parameters that take a string. */
    public List<Field> queryParameters(Endpoint endpoint) {
        var parameters = new ArrayList<Field>();
        operation(endpoint).path("parameters").forEach(parameter -> {
            if (parameter.path("in").asString().equals("query")
                    && parameter.path("schema").path("type").asString().equals("string")) {
                parameters.add(new Field(parameter.path("name").asString(),
                    parameter.path("schema").path("format").asString()));
            }
        });
        return parameters;
    }

    private JsonNode operation(Endpoint endpoint) {
        return document.path("paths").path(endpoint.path()).path(endpoint.method().toLowerCase(Locale.ROOT));
    }

    private @Nullable JsonNode requestBody(Endpoint endpoint) {
        var body = operation(endpoint).path("requestBody").path("content").path("application/json").path("schema");
        return body.isMissingNode() ? null : body;
    }

    private void collect(JsonNode schema, String path, List<Field> fields, Set<String> seen) {
        if (schema.has("$ref")) {
            var name = schema.path("$ref").asString().replace("#/components/schemas/", "");
            if (seen.add(name)) {
                collect(document.path("components").path("schemas").path(name), path, fields, seen);
                seen.remove(name);
            }
            return;
        }
        var properties = schema.path("properties");
        if (properties.has("nodeType") && properties.has("valueNode")) {
            fields.add(new Field(path, "json"));
        } else if (properties.isObject() && !properties.isEmpty()) {
            properties.properties().forEach(property -> collect(property.getValue(),
                path.isEmpty() ? property.getKey() : path + "." + property.getKey(), fields, seen));
        } else if (schema.path("type").asString().equals("array")) {
            collect(schema.path("items"), path + "[]", fields, seen);
        } else if (schema.path("additionalProperties").isObject()) {
            fields.add(new Field(path + ".*", ""));
        } else if (schema.path("type").asString().equals("string")) {
            fields.add(new Field(path, schema.path("format").asString()));
        }
    }
}
