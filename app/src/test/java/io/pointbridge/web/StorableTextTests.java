package io.pointbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/** Text the API reads must be text PostgreSQL stores as it was sent. */
class StorableTextTests {

    private static final JsonMapper JSON = JsonMapper.builder()
        .addModule(new SimpleModule().addDeserializer(String.class, new StorableText())).build();

    record Named(String name) {
    }

    @Test
    void readsTextWithPairedSurrogatesAndOtherCharacters() {
        var text = "Caf\u00e9 \ud83d\ude00 \u202etxt";

        assertThat(JSON.readValue("{\"name\": \"Caf\\u00e9 \\ud83d\\ude00 \\u202etxt\"}", Named.class).name()).isEqualTo(text);
    }

    @Test
    void refusesHalfOfASurrogatePairNamingTheField() {
        for (var json : new String[] {"{\"name\": \"a\\ud800b\"}", "{\"name\": \"a\\udc00\"}", "{\"name\": \"\\ude00\\ud83d\"}",
                "{\"name\": \"end\\ud83d\"}"}) {
            assertThatThrownBy(() -> JSON.readValue(json, Named.class)).as(json).isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("half of a surrogate pair")
                .satisfies(failure -> assertThat(((InvalidFormatException) failure).getPath().getFirst().getPropertyName())
                    .isEqualTo("name"));
        }
    }

    @Test
    void refusesANulCharacter() {
        assertThatThrownBy(() -> JSON.readValue("{\"name\": \"a\\u0000b\"}", Named.class))
            .isInstanceOf(InvalidFormatException.class).hasMessageContaining("NUL");
    }
}
