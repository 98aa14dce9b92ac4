package io.pointbridge.tenant;

import java.util.List;
import java.util.Map;

/**
 * A request that breaks a rule Bean Validation cannot express; the same problem type and shape as a
 * validation failure, naming the field.
 */
public final class InvalidRequest extends DomainFailure {

    public static final String TYPE = "invalid-request";

    public InvalidRequest(String field, String message) {
        super(400, TYPE, "Invalid request", field + ": " + message);
        with("errors", List.of(Map.of("field", field, "message", message)));
    }
}
