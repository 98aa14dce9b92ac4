package io.pointbridge.tenant.crypto;

/**
 * Holds the key-encryption keys (KEKs) that wrap each tenant's data keys, so that the database never holds
 * a usable key of its own.
 *
 * <p>The default is {@link LocalKeyProvider}, a KEK from the application's settings. A deployment that keeps
 * its KEK in a cloud KMS (AWS KMS, Google Cloud KMS, Azure Key Vault, HashiCorp Vault Transit) implements this
 * interface with the KMS's encrypt and decrypt calls, passing {@code context} as the KMS's encryption context
 * or associated data, and declares it as a bean: the local provider then steps aside. Data keys are unwrapped
 * once per tenant and version and cached, so the KMS is called rarely.
 */
public interface KeyProvider {

    /** The id of the KEK new data keys are wrapped under; stored beside each wrapped key to find its KEK again. */
    String currentKeyId();

    /** Encrypts a data key under the current KEK, binding {@code context}: unwrapping needs the same context. */
    byte[] wrap(byte[] dataKey, byte[] context);

    /**
     * Decrypts a data key wrapped under the KEK {@code keyId}; fails if the key, the context or the wrapped bytes
     * differ from those it was wrapped with.
     */
    byte[] unwrap(String keyId, byte[] wrapped, byte[] context);
}
