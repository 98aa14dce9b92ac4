package io.pointbridge.bench.load;

import java.util.List;
import java.util.UUID;

/**
 * Who the load generator acts for: the seeded brands with their API keys and some of their members, and the
 * program pairs with an enabled exchange rate with persons that hold a membership on both sides.
 */
public record Population(List<Brand> brands, List<ExchangePair> pairs) {

    public Population {
        brands = List.copyOf(brands);
        pairs = List.copyOf(pairs);
        if (brands.isEmpty() || brands.stream().anyMatch(b -> b.members().isEmpty())) {
            throw new IllegalArgumentException("every brand needs members to act for");
        }
    }

    /** A brand's program, the key its integration authenticates with, and members to pick from. */
    public record Brand(String name, String apiKey, String currency, List<UUID> members) {

        public Brand {
            members = List.copyOf(members);
        }
    }

    /**
     * Programs with an enabled rate from the source to the target; {@code points} is an amount the rate accepts
     * (at least its minimum, a multiple of its step); each member pair is one person's two memberships.
     */
    public record ExchangePair(String sourceApiKey, long points, List<MemberPair> members) {

        public ExchangePair {
            members = List.copyOf(members);
        }
    }

    public record MemberPair(UUID source, UUID target) {
    }
}
