package io.pointbridge.bench.seed;

import java.util.UUID;

/**
 * Random-looking version 4 UUIDs derived from the seed and a position, so that every pass over the data set
 * (one per table) makes the same ids without remembering them. They are as scattered as the product's random
 * ids, so indexes fill as they do in production.
 */
final class Ids {

    /** What an id names; each kind draws from its own sequence. */
    enum Kind {
        TENANT, BRAND, PROGRAM, SYSTEM_ACCOUNT, API_KEY, RATE, PROGRAM_VALUE, PERSON, MEMBERSHIP, WALLET, ENTRY, LOT,
        PURCHASE, TRANSFER, QUOTE
    }

    private final long seed;

    Ids(long seed) {
        this.seed = seed;
    }

    UUID of(Kind kind, long a) {
        return of(kind, a, 0);
    }

    UUID of(Kind kind, long a, long b) {
        long key = mix(seed ^ mix(kind.ordinal() + 0x632BE59BD9B4E019L) ^ mix(a * 0x9E3779B97F4A7C15L + b));
        long high = mix(key ^ 0xD1B54A32D192ED03L);
        long low = mix(key + 0x8CB92BA72F3D8DD7L);
        high = (high & ~0xF000L) | 0x4000L;
        low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    /** SplitMix64's finalizer: a bijection that scatters every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
