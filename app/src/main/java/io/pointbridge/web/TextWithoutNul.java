package io.pointbridge.web;

import org.springframework.boot.jackson.JacksonComponent;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;

/**
 * Refuses JSON strings with a NUL character, which PostgreSQL text cannot hold: such a value fails here,
 * as invalid input naming its field, rather than in the database as a conflict.
 */
@JacksonComponent
class TextWithoutNul extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        var text = super.deserialize(parser, context);
        if (text != null && text.indexOf('\0') >= 0) {
            return (String) context.handleWeirdStringValue(String.class, text, "contains a NUL character");
        }
        return text;
    }
}
