package io.pointbridge.bench.seed;

import java.util.Locale;

/**
 * The sizes of a seeded data set. Entries and lots are targets the seeder meets closely but not to the row: it
 * prints and writes the counts it made.
 *
 * @param tenants               group companies
 * @param brandsPerTenant       brands of each tenant, each running one program (at most {@link #MAX_BRANDS})
 * @param tieredBrandsPerTenant how many of each tenant's programs have a tier scheme (the first ones)
 * @param persons               persons in all tenants; most hold one membership, some two or three
 * @param ledgerEntries         journal entries in all tenants
 * @param openLots              lots that still hold points. Every credit makes a lot; the many that spends,
 *                              conversions and expiry have emptied stay in the table as history and are not counted
 * @param expiredShare          share of the open lots already past their expiry date, left for the expiry job
 *                              (those of members who stopped coming more than a year ago)
 * @param samplePerProgram      members per program listed in the output for the load generator, each holding at
 *                              least {@link #SAMPLE_BALANCE} points
 * @param convertersPerPair     persons per pair of programs listed as able to convert, holding as much on both sides
 * @param seed                  the random seed: the same plan and seed make the same ids and histories
 */
public record SeedPlan(String name, int tenants, int brandsPerTenant, int tieredBrandsPerTenant, long persons,
        long ledgerEntries, long openLots, double expiredShare, int samplePerProgram, int convertersPerPair,
        long seed) {

    public static final int MAX_BRANDS = 8;
    /** What every sampled member and converter holds at least: enough to spend and convert for minutes. */
    public static final long SAMPLE_BALANCE = 100_000;

    public SeedPlan {
        require(tenants >= 1 && tenants <= 999, "tenants must be between 1 and 999");
        require(brandsPerTenant >= 1 && brandsPerTenant <= MAX_BRANDS, "brands per tenant must be between 1 and "
            + MAX_BRANDS);
        require(tieredBrandsPerTenant >= 0 && tieredBrandsPerTenant <= brandsPerTenant,
            "tiered brands per tenant must be between 0 and the brands per tenant");
        require(persons >= tenants, "at least one person per tenant");
        require(persons <= Integer.MAX_VALUE / 4, "at most " + Integer.MAX_VALUE / 4 + " persons");
        require(ledgerEntries >= 0 && openLots >= 0, "entries and lots must not be negative");
        require(openLots <= ledgerEntries, "every open lot comes from an entry: lots must not exceed entries");
        require(expiredShare >= 0 && expiredShare <= 1, "the expired share is between 0 and 1");
        require(samplePerProgram >= 0 && convertersPerPair >= 0, "samples must not be negative");
    }

    /** A data set a whole benchmark run seeds, measures and checks in a few minutes. */
    public static SeedPlan small() {
        return new SeedPlan("small", 2, 3, 2, 20_000, 200_000, 40_000, 0.5, 10_000, 2_000, 20261125L);
    }

    /** The data set of issue 6: ten tenants, a million persons, ten million entries. */
    public static SeedPlan standard() {
        return new SeedPlan("default", 10, 3, 2, 1_000_000, 10_000_000, 2_000_000, 0.5, 10_000, 2_000, 20261125L);
    }

    /** The preset of that name: {@code small} or {@code default}. */
    public static SeedPlan preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "small" -> small();
            case "default" -> standard();
            default -> throw new IllegalArgumentException("unknown size " + name + ": small or default");
        };
    }

    public SeedPlan withTenants(int value) {
        return new SeedPlan(name, value, brandsPerTenant, tieredBrandsPerTenant, persons, ledgerEntries, openLots,
            expiredShare, samplePerProgram, convertersPerPair, seed);
    }

    public SeedPlan withBrands(int brands, int tiered) {
        return new SeedPlan(name, tenants, brands, tiered, persons, ledgerEntries, openLots, expiredShare,
            samplePerProgram, convertersPerPair, seed);
    }

    public SeedPlan withPersons(long value) {
        return new SeedPlan(name, tenants, brandsPerTenant, tieredBrandsPerTenant, value, ledgerEntries, openLots,
            expiredShare, samplePerProgram, convertersPerPair, seed);
    }

    public SeedPlan withLedgerEntries(long value) {
        return new SeedPlan(name, tenants, brandsPerTenant, tieredBrandsPerTenant, persons, value, openLots,
            expiredShare, samplePerProgram, convertersPerPair, seed);
    }

    public SeedPlan withOpenLots(long value) {
        return new SeedPlan(name, tenants, brandsPerTenant, tieredBrandsPerTenant, persons, ledgerEntries, value,
            expiredShare, samplePerProgram, convertersPerPair, seed);
    }

    public SeedPlan withExpiredShare(double value) {
        return new SeedPlan(name, tenants, brandsPerTenant, tieredBrandsPerTenant, persons, ledgerEntries, openLots,
            value, samplePerProgram, convertersPerPair, seed);
    }

    public SeedPlan withSamples(int perProgram, int perPair) {
        return new SeedPlan(name, tenants, brandsPerTenant, tieredBrandsPerTenant, persons, ledgerEntries, openLots,
            expiredShare, perProgram, perPair, seed);
    }

    public SeedPlan withSeed(long value) {
        return new SeedPlan(name, tenants, brandsPerTenant, tieredBrandsPerTenant, persons, ledgerEntries, openLots,
            expiredShare, samplePerProgram, convertersPerPair, value);
    }

    public int programs() {
        return tenants * brandsPerTenant;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
