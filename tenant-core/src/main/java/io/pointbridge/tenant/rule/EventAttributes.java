package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.InvalidRequest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The attributes an integration reports with an event, as rule conditions read them: flat names, and
 * values that are strings, whole numbers (longs), decimals (doubles), booleans or lists of those.
 */
public final class EventAttributes {

    public static final int MAX_ATTRIBUTES = 50;
    public static final int MAX_TEXT = 500;
    public static final int MAX_LIST = 50;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private EventAttributes() {
    }

    /** The attributes in the types CEL expects, or refused naming the offending attribute. */
    public static Map<String, Object> normalise(String field, Map<String, ?> attributes) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new InvalidRequest(field, "has more than " + MAX_ATTRIBUTES + " attributes");
        }
        var normalised = new LinkedHashMap<String, Object>();
        for (var attribute : attributes.entrySet()) {
            var name = field + "." + attribute.getKey();
            if (!NAME.matcher(attribute.getKey()).matches()) {
                throw new InvalidRequest(name,
                    "names an attribute with a letter then letters, digits or _, at most 64");
            }
            if (attribute.getValue() instanceof List<?> list) {
                if (list.size() > MAX_LIST) {
                    throw new InvalidRequest(name, "has more than " + MAX_LIST + " items");
                }
                var items = new ArrayList<>();
                for (var item : list) {
                    items.add(scalar(name, item));
                }
                normalised.put(attribute.getKey(), List.copyOf(items));
            } else {
                normalised.put(attribute.getKey(), scalar(name, attribute.getValue()));
            }
        }
        return normalised;
    }

    private static Object scalar(String field, Object value) {
        return switch (value) {
            case String text when text.length() <= MAX_TEXT -> text;
            case String text -> throw new InvalidRequest(field, "is longer than " + MAX_TEXT + " characters");
            case Boolean flag -> flag;
            case Integer number -> number.longValue();
            case Long number -> number;
            case Short number -> number.longValue();
            case BigInteger number when number.bitLength() < 64 -> number.longValue();
            case Double number when Double.isFinite(number) -> number;
            case Float number when Float.isFinite(number) -> number.doubleValue();
            case BigDecimal number -> number.doubleValue();
            case null -> throw new InvalidRequest(field, "must not be null");
            default -> throw new InvalidRequest(field, "must be a string, number, boolean or a list of them");
        };
    }
}
