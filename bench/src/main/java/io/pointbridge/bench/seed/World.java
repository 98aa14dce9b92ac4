package io.pointbridge.bench.seed;

import io.pointbridge.bench.seed.Ids.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The shape of a seeded data set, decided before any row is written and the same on every pass: the tenants,
 * their brands and programs, the rates between them, and for every membership its program, how many journal
 * entries and open lots its history has, and whether it is dormant, sampled or a converter. Arrays, not objects:
 * a million persons fit in a few dozen megabytes.
 *
 * <p>Persons are numbered in tenant order; a person's memberships are numbered consecutively from
 * {@code personFirst[p]}.
 */
final class World {

    static final long SECOND = 1_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long YEAR = 365 * DAY;

    static final byte DORMANT = 1;
    static final byte SAMPLE = 2;
    static final byte CONVERTER = 4;

    /** Everything seeded is stamped by this actor, or by a brand's API key for what an integration would do. */
    static final String SEEDER = "system:bench-seed";
    static final String CURRENCY = "EUR";
    static final int EXPIRY_MONTHS = 12;
    /** A point per euro: earn_points per earn_per_minor minor units. */
    static final long EARN_POINTS = 1;
    static final long EARN_PER_MINOR = 100;
    static final long MINIMUM_CONVERSION = 100;
    static final long CONVERSION_STEP = 10;
    static final BigDecimal FEE_PERCENT = BigDecimal.ONE;
    /** Rates and point values were set this long before the seed's "now": transfers of the whole history use them. */
    static final long RATES_SINCE = 3 * YEAR;

    private static final String[] BRAND_CODES = {"cafe", "cinema", "books", "fuel", "hotel", "fashion", "grocery",
        "travel"};
    private static final String[] BRAND_NAMES = {"Cafe", "Cinema", "Books", "Fuel", "Hotel", "Fashion", "Grocery",
        "Travel"};
    private static final String[] POINTS_NAMES = {"Cafe Stars", "Cinema Points", "Book Coins", "Fuel Miles",
        "Hotel Nights", "Style Points", "Grocery Points", "Travel Miles"};
    /** Value of one point in EUR per brand position: rates between programs follow them, less a margin. */
    private static final String[] POINT_VALUES = {"0.01", "0.002", "0.005", "0.008", "0.02", "0.001", "0.004",
        "0.012"};

    final SeedPlan plan;
    final Ids ids;
    /** The seed's "now", in microseconds since the epoch: histories end at it. */
    final long now;

    final int programs;
    /** Persons and memberships of this segment are numbered from these (ids are made from the global numbers). */
    final int personBase;
    final int memberBase;
    final int[] personFirst;
    final int[] memberProgram;
    final int[] memberEntries;
    final int[] memberOpenLots;
    final byte[] memberFlags;
    final List<ConverterPair> converters = new ArrayList<>();

    /** One person's two memberships listed for converting between two programs (either way). */
    record ConverterPair(int tenant, int programA, int programB, int person, int memberA, int memberB) {
    }

    /**
     * The data set of {@code plan}, or a segment added to it: {@code persons} more persons numbered from
     * {@code personBase} (memberships from {@code memberBase}) with {@code entries} entries and {@code openLots}
     * open lots among them. Only the first segment lists samples and converters.
     */
    World(SeedPlan plan, Instant now, int personBase, int memberBase, long persons, long entries, long openLots,
            boolean sample) {
        this.plan = plan;
        this.ids = new Ids(plan.seed());
        this.now = now.getEpochSecond() * SECOND;
        this.programs = plan.programs();
        this.personBase = personBase;
        this.memberBase = memberBase;
        if (persons < plan.tenants() || persons > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("between " + plan.tenants() + " and " + Integer.MAX_VALUE / 4
                + " persons, not " + persons);
        }
        this.personFirst = new int[(int) persons + 1];
        var programsOf = new int[(int) persons * 3];
        var rng = new SplittableRandom(Ids.mix(plan.seed() ^ 0x5EEDL ^ Ids.mix(personBase)));
        int memberships = 0;
        for (int p = 0; p < persons; p++) {
            personFirst[p] = memberships;
            int tenant = tenantOf(p);
            double draw = rng.nextDouble();
            int count = Math.min(plan.brandsPerTenant(), draw < 0.70 ? 1 : draw < 0.92 ? 2 : 3);
            // Distinct brands of the tenant, the earlier ones more popular (weights B, B-1, ..., 1).
            int chosen = 0;
            while (chosen < count) {
                int brand = popularBrand(rng);
                int program = tenant * plan.brandsPerTenant() + brand;
                boolean taken = false;
                for (int i = 0; i < chosen; i++) {
                    taken |= programsOf[memberships + i] == program;
                }
                if (!taken) {
                    programsOf[memberships + chosen++] = program;
                }
            }
            memberships += count;
        }
        personFirst[(int) persons] = memberships;
        this.memberProgram = Arrays.copyOf(programsOf, memberships);
        this.memberEntries = new int[memberships];
        this.memberOpenLots = new int[memberships];
        this.memberFlags = new byte[memberships];
        allocate(rng, entries, openLots, sample);
    }

    /** The data set of the plan, as first seeded. */
    World(SeedPlan plan, Instant now) {
        this(plan, now, 0, 0, plan.persons(), plan.ledgerEntries(), plan.openLots(), true);
    }

    int memberships() {
        return memberProgram.length;
    }

    int persons() {
        return personFirst.length - 1;
    }

    int tenantOf(int person) {
        return (int) ((long) person * plan.tenants() / persons());
    }

    int tenantOfProgram(int program) {
        return program / plan.brandsPerTenant();
    }

    int brandPosition(int program) {
        return program % plan.brandsPerTenant();
    }

    boolean tiered(int program) {
        return brandPosition(program) < plan.tieredBrandsPerTenant();
    }

    boolean dormant(int member) {
        return (memberFlags[member] & DORMANT) != 0;
    }

    boolean toppedUp(int member) {
        return (memberFlags[member] & (SAMPLE | CONVERTER)) != 0;
    }

    // Names and ids of the fixed part.

    String tenantSlug(int tenant) {
        return String.format("bench-%03d", tenant + 1);
    }

    String tenantName(int tenant) {
        return String.format("Bench Group %03d", tenant + 1);
    }

    UUID tenantId(int tenant) {
        return ids.of(Kind.TENANT, tenant);
    }

    String brandCode(int program) {
        return BRAND_CODES[brandPosition(program)];
    }

    String brandName(int program) {
        return BRAND_NAMES[brandPosition(program)];
    }

    String pointsName(int program) {
        return POINTS_NAMES[brandPosition(program)];
    }

    BigDecimal pointValue(int program) {
        return new BigDecimal(POINT_VALUES[brandPosition(program)]);
    }

    UUID brandId(int program) {
        return ids.of(Kind.BRAND, program);
    }

    UUID programId(int program) {
        return ids.of(Kind.PROGRAM, program);
    }

    UUID apiKeyId(int program) {
        return ids.of(Kind.API_KEY, program);
    }

    /** What integrations of the brand write as: the actor of its API key. */
    String integration(int program) {
        return "api-key:" + apiKeyId(program);
    }

    UUID systemAccount(int program, SystemAccount kind) {
        return ids.of(Kind.SYSTEM_ACCOUNT, program, kind.ordinal());
    }

    /** The system accounts every program opens (tenant-core's Accounts, on ProgramOpened). */
    enum SystemAccount {
        ISSUANCE, REDEMPTION, ADJUSTMENT, BREAKAGE, EXCHANGE_CLEARING, EXCHANGE_FEE
    }

    UUID personId(int person) {
        return ids.of(Kind.PERSON, personBase + person);
    }

    UUID membershipId(int member) {
        return ids.of(Kind.MEMBERSHIP, memberBase + member);
    }

    UUID walletId(int member) {
        return ids.of(Kind.WALLET, memberBase + member);
    }

    /** The id of something the {@code event}-th event of the membership's history made. */
    UUID eventId(Kind kind, int member, int event) {
        return ids.of(kind, memberBase + member, event);
    }

    /** The brand's customer number: the external id integrations know the member by. */
    String externalId(int member) {
        return brandCode(memberProgram[member]) + "-" + (memberBase + member + 1);
    }

    /** A reference unique in the program for the {@code event}-th event of the membership (order ids, ...). */
    String reference(String prefix, int member, int event) {
        return prefix + "-" + (memberBase + member + 1) + "-" + (event + 1);
    }

    /** Rates exist between every ordered pair of one tenant's programs. */
    int rateIndex(int sourceProgram, int targetProgram) {
        return sourceProgram * plan.brandsPerTenant() + brandPosition(targetProgram);
    }

    UUID rateId(int sourceProgram, int targetProgram) {
        return ids.of(Kind.RATE, rateIndex(sourceProgram, targetProgram));
    }

    /** Source units of a rate: always 100, so the target units carry the ratio. */
    long sourceUnits() {
        return 100;
    }

    /** Target points per 100 source points: the ratio of the point values, less 10 % for the house. */
    long targetUnits(int sourceProgram, int targetProgram) {
        return Math.max(1, pointValue(sourceProgram).multiply(BigDecimal.valueOf(90))
            .divide(pointValue(targetProgram), 0, RoundingMode.FLOOR).longValueExact());
    }

    /** The fee of converting {@code points} (exchange's rule: ceil(S * percent / 100) + fixed, fixed being 0). */
    static long fee(long points) {
        return BigDecimal.valueOf(points).multiply(FEE_PERCENT).divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING)
            .longValueExact();
    }

    long credited(int sourceProgram, int targetProgram, long points) {
        return (points - fee(points)) * targetUnits(sourceProgram, targetProgram) / sourceUnits();
    }

    /** When points earned at {@code at} expire: the program's months later (all seeded programs: 12). */
    static long expiry(long at) {
        var instant = Instant.ofEpochSecond(Math.floorDiv(at, SECOND), Math.floorMod(at, SECOND) * 1000);
        var expires = instant.atOffset(ZoneOffset.UTC).plusMonths(EXPIRY_MONTHS).toInstant();
        return expires.getEpochSecond() * SECOND + expires.getNano() / 1000;
    }

    private int popularBrand(SplittableRandom rng) {
        int brands = plan.brandsPerTenant();
        int draw = rng.nextInt(brands * (brands + 1) / 2);
        for (int brand = 0; brand < brands; brand++) {
            draw -= brands - brand;
            if (draw < 0) {
                return brand;
            }
        }
        return brands - 1;
    }

    /**
     * Decides each membership's dormancy and share of the entries and open lots: entries by a heavy-tailed weight
     * (a few members are very active, some never earned), open lots in proportion to entries. Rounding is
     * cumulative, so the shares add up to the plan's totals. Then samples and converters, among active members.
     */
    private void allocate(SplittableRandom rng, long entries, long openLots, boolean sample) {
        int memberships = memberships();
        var weights = new double[memberships];
        double total = 0;
        for (int m = 0; m < memberships; m++) {
            if (rng.nextDouble() < plan.expiredShare()) {
                memberFlags[m] |= DORMANT;
            }
            weights[m] = rng.nextDouble() < 0.06 ? 0 : Math.exp(rng.nextGaussian() * 0.9);
            total += weights[m];
        }
        distribute(weights, total, entries, memberEntries);
        double lotTotal = 0;
        for (int m = 0; m < memberships; m++) {
            weights[m] = memberEntries[m] * (0.6 + 0.8 * rng.nextDouble());
            lotTotal += weights[m];
        }
        distribute(weights, lotTotal, openLots, memberOpenLots);
        for (int m = 0; m < memberships; m++) {
            memberOpenLots[m] = Math.min(memberOpenLots[m], memberEntries[m]);
        }
        if (!sample) {
            return;
        }
        var sampled = new int[programs];
        var paired = new int[programs * plan.brandsPerTenant()];
        for (int p = 0; p < persons(); p++) {
            for (int m = personFirst[p]; m < personFirst[p + 1]; m++) {
                if (!dormant(m) && sampled[memberProgram[m]] < plan.samplePerProgram()) {
                    sampled[memberProgram[m]]++;
                    memberFlags[m] |= SAMPLE;
                }
            }
            for (int a = personFirst[p]; a < personFirst[p + 1]; a++) {
                for (int b = a + 1; b < personFirst[p + 1]; b++) {
                    int low = Math.min(memberProgram[a], memberProgram[b]);
                    int high = Math.max(memberProgram[a], memberProgram[b]);
                    int pair = rateIndex(low, high);
                    if (!dormant(a) && !dormant(b) && paired[pair] < plan.convertersPerPair()) {
                        paired[pair]++;
                        memberFlags[a] |= CONVERTER;
                        memberFlags[b] |= CONVERTER;
                        int memberLow = memberProgram[a] == low ? a : b;
                        converters.add(new ConverterPair(tenantOf(p), low, high, p, memberLow, memberLow == a ? b : a));
                    }
                }
            }
        }
        // The points given for the benchmark are an entry and an open lot: members who had none get them out of the
        // others' shares, so that the totals stay the plan's.
        long raised = 0;
        for (int m = 0; m < memberships; m++) {
            if (toppedUp(m) && memberOpenLots[m] == 0) {
                raised++;
            }
        }
        distribute(weights, lotTotal, Math.max(0, openLots - raised), memberOpenLots);
        for (int m = 0; m < memberships; m++) {
            memberOpenLots[m] = Math.min(memberOpenLots[m], memberEntries[m]);
            if (toppedUp(m)) {
                memberEntries[m] = Math.max(1, memberEntries[m]);
                memberOpenLots[m] = Math.max(1, memberOpenLots[m]);
            }
        }
    }

    private static void distribute(double[] weights, double total, long sum, int[] into) {
        double cumulative = 0;
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            long upTo = total == 0 ? 0 : Math.round(sum * (cumulative / total));
            into[i] = (int) (upTo - given);
            given = upTo;
        }
    }
}
