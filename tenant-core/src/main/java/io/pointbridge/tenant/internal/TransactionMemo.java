package io.pointbridge.tenant.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rows read once per transaction: one earn reads the same membership, program and tier scheme from several
 * modules (access check, purchase, rules, tiers), and each read was a round trip to the database. Inside a
 * transaction the second read of a key answers what the first read found; outside one every read goes to the
 * database. Nothing outlives its transaction, so no other request, instance or tenant ever sees a memo.
 *
 * <p>Whoever writes a memoised row in a transaction {@link #forget forgets} its key, so a read after the write
 * sees the write.
 */
public final class TransactionMemo {

    private static final Object RESOURCE = new Object();

    private TransactionMemo() {
    }

    /** What {@code load} answers for {@code key}, loaded at most once per transaction. */
    @SuppressWarnings("unchecked")
    public static <T> T get(List<?> key, Supplier<T> load) {
        var memo = memo();
        if (memo == null) {
            return load.get();
        }
        if (memo.containsKey(key)) {
            return (T) memo.get(key);
        }
        T value = load.get();
        memo.put(key, value);
        return value;
    }

    /** Forgets what the transaction memoised under {@code key}. */
    public static void forget(List<?> key) {
        var memo = memo();
        if (memo != null) {
            memo.remove(key);
        }
    }

    /** Forgets every key of one kind, e.g. all memberships after a merge moved several. */
    public static void forgetAll(Object kind) {
        var memo = memo();
        if (memo != null) {
            memo.keySet().removeIf(key -> !key.isEmpty() && key.getFirst().equals(kind));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<List<?>, Object> memo() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            return null;
        }
        var memo = (Map<List<?>, Object>) TransactionSynchronizationManager.getResource(RESOURCE);
        if (memo == null) {
            var created = new HashMap<List<?>, Object>();
            TransactionSynchronizationManager.bindResource(RESOURCE, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(RESOURCE);
                }
            });
            memo = created;
        }
        return memo;
    }
}
