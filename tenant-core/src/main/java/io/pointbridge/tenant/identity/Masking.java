package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.identity.ContactPoint.Kind;
import org.jspecify.annotations.Nullable;

/**
 * Masks a profile's personal data for callers that may know it exists but not what it is: enough to recognise a
 * customer on the phone ("a***@example.com", "+49*******21", "A."), too little to contact or find them. The
 * kind-aware sibling of {@link io.pointbridge.tenant.PersonalData#mask}, which masks external ids.
 */
final class Masking {

    private Masking() {
    }

    static @Nullable String contact(Kind kind, @Nullable String value) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case EMAIL -> {
                var at = value.lastIndexOf('@');
                yield value.charAt(0) + "***" + (at > 0 ? value.substring(at) : "");
            }
            case PHONE -> value.length() <= 6 ? "***"
                : value.substring(0, 3) + "*".repeat(value.length() - 5) + value.substring(value.length() - 2);
        };
    }

    static @Nullable String name(@Nullable String name) {
        return name == null || name.isEmpty() ? name : name.codePoints().limit(1)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + ".";
    }
}
