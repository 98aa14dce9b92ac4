package io.pointbridge.tenant;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Opaque cursors of the API's paginated lists, in every module: a kind prefix and the sequence number of the
 * last row handed out, base64url-encoded.
 */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(String kind, long seq) {
        var text = kind + ":" + seq;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence number in a cursor of this kind; refused if the cursor was not handed out for this list. */
    public static long decode(String kind, String cursor) {
        try {
            var text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(kind + ":")) {
                throw new InvalidCursor();
            }
            return Long.parseLong(text.substring(kind.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidCursor();
        }
    }

    /** The cursor was not one this API handed out, or not for this list. */
    public static final class InvalidCursor extends DomainFailure {
        InvalidCursor() {
            super(400, "invalid-cursor", "Invalid cursor", "The cursor is not one this API handed out.");
            with("field", "cursor");
            with("errors", List.of(Map.of("field", "cursor", "message", "is not one this API handed out")));
        }
    }
}
