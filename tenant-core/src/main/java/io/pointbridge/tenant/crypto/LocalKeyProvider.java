package io.pointbridge.tenant.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default key store: the key-encryption key is {@code pointbridge.privacy.master-key} from the settings,
 * and data keys are wrapped with AES-256-GCM under it. Retired master keys still unwrap what they wrapped.
 * Fit for development and for deployments whose secret store injects the setting; a KMS keeps the KEK out of
 * the application's memory altogether (see {@link KeyProvider}).
 */
public final class LocalKeyProvider implements KeyProvider {

    private final String currentId;
    private final Map<String, byte[]> keys = new LinkedHashMap<>();

    public LocalKeyProvider(KeySettings settings) {
        var current = KeySettings.decode(settings.masterKey());
        currentId = idOf(current);
        keys.put(currentId, current);
        settings.retiredMasterKeys().stream().map(KeySettings::decode).forEach(key -> keys.putIfAbsent(idOf(key), key));
    }

    @Override
    public String currentKeyId() {
        return currentId;
    }

    @Override
    public byte[] wrap(byte[] dataKey, byte[] context) {
        return Aead.seal(keys.get(currentId), dataKey, context);
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, byte[] context) {
        var key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("Master key " + keyId + " is not configured (pointbridge.privacy.master-key"
                + " or retired-master-keys); the data keys wrapped under it cannot be opened");
        }
        return Aead.open(key, wrapped, context);
    }

    /** A name for the key that reveals nothing of it: a truncated hash, domain-separated from any other use. */
    private static String idOf(byte[] key) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update("pointbridge/local-master-key-id".getBytes(StandardCharsets.UTF_8));
            return "local:" + HexFormat.of().formatHex(digest.digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
