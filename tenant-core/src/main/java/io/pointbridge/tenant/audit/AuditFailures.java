package io.pointbridge.tenant.audit;

import io.pointbridge.tenant.DomainFailure;
import java.util.List;
import java.util.Map;

/** The facts searches and exports of the audit trail are refused with. */
public final class AuditFailures {

    private AuditFailures() {
    }

    /** The cursor was not one this API handed out. */
    public static final class InvalidCursor extends DomainFailure {
        InvalidCursor() {
            super(400, "invalid-cursor", "Invalid cursor", "The cursor is not one this API handed out.");
            with("field", "cursor");
            with("errors", List.of(Map.of("field", "cursor", "message", "is not one this API handed out")));
        }
    }

    /** The export was asked for in a format it is not made in. */
    public static final class ExportFormatNotAcceptable extends DomainFailure {
        public ExportFormatNotAcceptable(List<String> formats) {
            super(406, "not-acceptable", "Not acceptable",
                "The audit is exported as " + String.join(" or ", formats) + "; ask for one in the Accept header.");
            with("acceptable", formats);
        }
    }
}
