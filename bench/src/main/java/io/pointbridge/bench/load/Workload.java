package io.pointbridge.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The operations of the benchmark, each the request an integration (a POS, a shop) sends, for a random seeded
 * member: earn (a purchase the program's rules turn into points), spend, balance read, history page, and an
 * exchange (a quote and its transfer, counted as one).
 */
public final class Workload {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private final Http http;
    private final Population population;

    public Workload(Http http, Population population) {
        this.http = http;
        this.population = population;
    }

    public Operation operation(String name) {
        return switch (name) {
            case "earn" -> this::earn;
            case "spend" -> this::spend;
            case "balance" -> this::balance;
            case "history" -> this::history;
            case "exchange" -> this::exchange;
            default -> throw new IllegalArgumentException("unknown operation " + name);
        };
    }

    /** Reads the balance of one given member, for the growth measurements. */
    public Operation balanceOf(Population.Brand brand, UUID member) {
        return () -> http.get("api/v1/members/" + member + "/balance", brand.apiKey());
    }

    /** Reads the newest page of one given member's history, for the growth measurements. */
    public Operation historyOf(Population.Brand brand, UUID member) {
        return () -> http.get("api/v1/members/" + member + "/history?limit=20", brand.apiKey());
    }

    /** A balance read and a history page of every member the load generator acts for. */
    public List<Operation> everyMembersReads() {
        var reads = new ArrayList<Operation>();
        for (var brand : population.brands()) {
            for (var member : brand.members()) {
                reads.add(balanceOf(brand, member));
                reads.add(historyOf(brand, member));
            }
        }
        return reads;
    }

    private Http.Response earn() throws Exception {
        var brand = randomBrand();
        var random = ThreadLocalRandom.current();
        var order = UUID.randomUUID().toString();
        long cents = 100 + random.nextLong(9_900);
        var body = "{\"orderId\":\"bench-" + order + "\",\"amount\":\"" + cents / 100 + "." + String.format("%02d",
            cents % 100) + "\",\"currency\":\"" + brand.currency() + "\"}";
        return http.post("api/v1/members/" + member(brand) + "/purchases", brand.apiKey(), "earn-" + order, body);
    }

    private Http.Response spend() throws Exception {
        var brand = randomBrand();
        var key = UUID.randomUUID().toString();
        return http.post("api/v1/members/" + member(brand) + "/spends", brand.apiKey(), "spend-" + key,
            "{\"points\":1,\"reference\":\"bench-" + key + "\"}");
    }

    private Http.Response balance() throws Exception {
        var brand = randomBrand();
        return http.get("api/v1/members/" + member(brand) + "/balance", brand.apiKey());
    }

    private Http.Response history() throws Exception {
        var brand = randomBrand();
        return http.get("api/v1/members/" + member(brand) + "/history?limit=20", brand.apiKey());
    }

    private Http.Response exchange() throws Exception {
        var random = ThreadLocalRandom.current();
        var pair = population.pairs().get(random.nextInt(population.pairs().size()));
        var members = pair.members().get(random.nextInt(pair.members().size()));
        var key = UUID.randomUUID().toString();
        var quote = http.post("api/v1/exchange/quotes", pair.sourceApiKey(), "quote-" + key,
            "{\"sourceMemberId\":\"" + members.source() + "\",\"targetMemberId\":\"" + members.target()
                + "\",\"points\":" + pair.points() + "}");
        if (!quote.ok()) {
            return quote;
        }
        var id = ID.matcher(quote.body());
        if (!id.find()) {
            return new Http.Response(599, "quote without an id: " + quote.body());
        }
        return http.post("api/v1/exchange/quotes/" + id.group(1) + "/transfer", pair.sourceApiKey(),
            "transfer-" + key, "");
    }

    private Population.Brand randomBrand() {
        List<Population.Brand> brands = population.brands();
        return brands.get(ThreadLocalRandom.current().nextInt(brands.size()));
    }

    private static UUID member(Population.Brand brand) {
        return brand.members().get(ThreadLocalRandom.current().nextInt(brand.members().size()));
    }
}
