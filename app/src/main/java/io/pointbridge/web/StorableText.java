package io.pointbridge.web;

import org.springframework.boot.jackson.JacksonComponent;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;

/**
 * Refuses JSON strings that PostgreSQL text cannot hold as they are: a NUL character, which it refuses, and half
 * of a surrogate pair (an escape such as {@code \ud800} alone), which UTF-8 cannot encode and the driver would
 * store as {@code ?}. Such a value fails here, as invalid input naming its field, rather than in the database as a
 * conflict or, silently, as other text than was sent.
 */
@JacksonComponent
class StorableText extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        var text = super.deserialize(parser, context);
        if (text != null && text.indexOf('\0') >= 0) {
            return (String) context.handleWeirdStringValue(String.class, text, "contains a NUL character");
        }
        if (text != null && hasUnpairedSurrogate(text)) {
            return (String) context.handleWeirdStringValue(String.class, text, "contains half of a surrogate pair");
        }
        return text;
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            var symbol = text.charAt(i);
            var paired = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if (Character.isHighSurrogate(symbol) && paired) {
                i++;
            } else if (Character.isSurrogate(symbol)) {
                return true;
            }
        }
        return false;
    }
}
