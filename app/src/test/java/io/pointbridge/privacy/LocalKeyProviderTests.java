package io.pointbridge.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.tenant.crypto.KeySettings;
import io.pointbridge.tenant.crypto.LocalKeyProvider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default key store wraps data keys under the configured master key, bound to their context. */
class LocalKeyProviderTests {

    private static final String OLD = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String NEW = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] DATA_KEY = "a data key of thirty-two bytes!!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTEXT = "tenant-1|1".getBytes(StandardCharsets.US_ASCII);

    @Test
    void unwrapsWhatItWrappedWithTheSameContext() {
        var provider = new LocalKeyProvider(new KeySettings(NEW, List.of()));

        var wrapped = provider.wrap(DATA_KEY, CONTEXT);

        assertThat(new String(wrapped, StandardCharsets.ISO_8859_1)).doesNotContain(new String(DATA_KEY, StandardCharsets.ISO_8859_1));
        assertThat(provider.unwrap(provider.currentKeyId(), wrapped, CONTEXT)).isEqualTo(DATA_KEY);
    }

    @Test
    void refusesToUnwrapUnderAnotherContext() {
        var provider = new LocalKeyProvider(new KeySettings(NEW, List.of()));
        var wrapped = provider.wrap(DATA_KEY, CONTEXT);

        assertThatThrownBy(() -> provider.unwrap(provider.currentKeyId(), wrapped, "tenant-2|1".getBytes(StandardCharsets.US_ASCII)))
            .hasMessageContaining("does not open");
    }

    @Test
    void aRetiredMasterKeyStillUnwrapsWhatItWrapped() {
        var before = new LocalKeyProvider(new KeySettings(OLD, List.of()));
        var wrapped = before.wrap(DATA_KEY, CONTEXT);

        var after = new LocalKeyProvider(new KeySettings(NEW, List.of(OLD)));

        assertThat(after.currentKeyId()).isNotEqualTo(before.currentKeyId());
        assertThat(after.unwrap(before.currentKeyId(), wrapped, CONTEXT)).isEqualTo(DATA_KEY);
        assertThatThrownBy(() -> new LocalKeyProvider(new KeySettings(NEW, List.of())).unwrap(before.currentKeyId(), wrapped, CONTEXT))
            .hasMessageContaining("is not configured");
    }

    @Test
    void refusesAMasterKeyOfTheWrongLengthWithoutShowingIt() {
        var short16 = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> new KeySettings(short16, List.of()))
            .hasMessageContaining("32 bytes").hasMessageNotContaining(short16);
        assertThatThrownBy(() -> new KeySettings("not base64 !", List.of()))
            .hasMessageContaining("base64").hasMessageNotContaining("not base64 !");
    }
}
