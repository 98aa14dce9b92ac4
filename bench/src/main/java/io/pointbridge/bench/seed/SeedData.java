package io.pointbridge.bench.seed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What was seeded, for the load generator (written as JSON beside the results): per tenant its brands, each with
 * its program, the API key its integration authenticates with and a sample of members to act for; and the pairs
 * of programs with an enabled rate, each with persons holding a membership on both sides. Sampled members and
 * converters hold at least {@link SeedPlan#SAMPLE_BALANCE} points on every side.
 *
 * @param seededAt       the seed's "now": histories end at it
 * @param rows           rows written per table
 * @param pgbenchMembers how many members the pgbench baseline picks from ({@code bench.members}, numbered from 1)
 */
public record SeedData(SeedPlan plan, Instant seededAt, Map<String, Long> rows, Facts facts, long pgbenchMembers,
        List<Tenant> tenants) {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public SeedData {
        rows = Map.copyOf(rows);
        tenants = List.copyOf(tenants);
    }

    /**
     * What the batch jobs find to do: open lots, those past their expiry (the expiry job's work), members due for a
     * tier review (the tier job's), transfers in the last 30 days (the settlement statement's).
     */
    public record Facts(long openLots, long expiredOpenLots, long walletsWithExpiredLots, long tierMembersDue,
            long transfersLast30Days) {
    }

    public record Tenant(UUID id, String slug, String name, String settlementCurrency, List<Brand> brands,
            List<ExchangePair> exchangePairs) {

        public Tenant {
            brands = List.copyOf(brands);
            exchangePairs = List.copyOf(exchangePairs);
        }
    }

    /**
     * A brand and its program.
     *
     * @param apiKey  the whole key to send as {@code X-Api-Key} ({@code pbk_<id>_<secret>}); only its hash is stored
     * @param members sampled members of the program, each with at least {@link SeedPlan#SAMPLE_BALANCE} points
     */
    public record Brand(UUID id, String code, String name, UUID programId, String programCode, String pointsName,
            String purchaseCurrency, long earnPoints, long earnPerMinor, int expiryMonths, boolean tiers, UUID apiKeyId,
            String apiKey, List<Member> members) {

        public Brand {
            members = List.copyOf(members);
        }
    }

    /** A member: its id in the API, the brand's customer number for it, its person, its balance when seeded. */
    public record Member(UUID id, String externalId, UUID personId, long balance) {
    }

    /**
     * An enabled rate from the source program to the target program ({@code sourceUnits} points convert to
     * {@code targetUnits}, 1 % fee, in multiples of {@code stepPoints} from {@code minimumPoints}); {@code points} is
     * an amount it accepts; each member pair is one person's memberships on both sides.
     */
    public record ExchangePair(UUID sourceProgramId, UUID targetProgramId, UUID sourceBrandId, UUID targetBrandId,
            String sourceApiKey, long sourceUnits, long targetUnits, long minimumPoints, long stepPoints, long points,
            List<MemberPair> members) {

        public ExchangePair {
            members = List.copyOf(members);
        }
    }

    public record MemberPair(UUID person, UUID source, UUID target) {
    }

    public void write(Path file) throws IOException {
        var parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (var out = Files.newOutputStream(file)) {
            JSON.writeValue(out, this);
        }
    }

    public static SeedData read(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return JSON.readValue(in, SeedData.class);
        }
    }
}
