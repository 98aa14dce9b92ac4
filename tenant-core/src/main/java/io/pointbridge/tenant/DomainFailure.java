package io.pointbridge.tenant;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the caller can act on, named after the fact it reports. The application maps it to an
 * RFC 9457 problem with a stable type: {@code https://pointbridge.io/problems/<type>}.
 */
public abstract class DomainFailure extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    protected DomainFailure(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    protected final DomainFailure with(String property, Object value) {
        properties.put(property, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }
}
