package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.InvalidRequest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address or phone number in the one normal form its keyed hash is computed over, so that the
 * same contact written two ways finds the same person. The normaliser is deliberately simple:
 *
 * <ul>
 *   <li>email: surrounding white space trimmed, lower-cased (also the local part: no provider we meet
 *       treats it case-sensitively); no provider-specific rules (dots or {@code +tags} in Gmail stay);
 *   <li>phone: international form only, E.164-like: a leading {@code +} (or {@code 00}) and the country
 *       code, then 7 to 15 digits in all; spaces, dots, dashes and parentheses are dropped. A number
 *       without its country code is refused rather than guessed.
 * </ul>
 *
 * Its {@link #toString()} masks the value, so a contact point never reaches a log by accident.
 */
public record ContactPoint(Kind kind, String value) {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s.()\\-]");
    private static final Pattern PHONE_DIGITS = Pattern.compile("[1-9][0-9]{6,14}");

    public enum Kind {
        EMAIL, PHONE
    }

    public ContactPoint {
        var normal = switch (kind) {
            case EMAIL -> normalEmail(value);
            case PHONE -> normalPhone(value);
        };
        if (!normal.equals(value)) {
            throw new IllegalArgumentException("not normalised; use ContactPoint.email or ContactPoint.phone");
        }
    }

    /** The email in normal form; refused (naming the field) if it is not an email address. */
    public static ContactPoint email(String raw) {
        var normal = normalEmail(raw);
        if (normal.isEmpty()) {
            throw new InvalidRequest("email", "is not an email address");
        }
        return new ContactPoint(Kind.EMAIL, normal);
    }

    /** The phone number in normal form; refused (naming the field) if it has no country code or is no number. */
    public static ContactPoint phone(String raw) {
        var normal = normalPhone(raw);
        if (normal.isEmpty()) {
            throw new InvalidRequest("phone", "must be an international number: + and country code, then 7 to 15 digits in all");
        }
        return new ContactPoint(Kind.PHONE, normal);
    }

    private static String normalEmail(String raw) {
        var email = raw.strip().toLowerCase(Locale.ROOT);
        return email.length() <= 254 && EMAIL.matcher(email).matches() ? email : "";
    }

    private static String normalPhone(String raw) {
        var phone = raw.strip();
        if (phone.startsWith("+")) {
            phone = phone.substring(1);
        } else if (phone.startsWith("00")) {
            phone = phone.substring(2);
        } else {
            return "";
        }
        var digits = PHONE_SEPARATORS.matcher(phone).replaceAll("");
        return PHONE_DIGITS.matcher(digits).matches() ? "+" + digits : "";
    }

    @Override
    public String toString() {
        return kind + "(masked)";
    }
}
