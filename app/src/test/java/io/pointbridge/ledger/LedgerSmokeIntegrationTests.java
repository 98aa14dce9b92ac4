package io.pointbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerSmokeIntegrationTests extends IntegrationTest {

    @Test
    void earnsOnAPurchaseAndSpends() {
        var group = fixtures.group();
        var member = fixtures.member(group);
        var pos = api.withApiKey(group.cafe().apiKey());

        var purchase = pos.post("/api/v1/members/" + member.id() + "/purchases",
            Map.of("orderId", "order-1", "amount", "12.34", "currency", "EUR"));
        assertThat(purchase.status()).isEqualTo(201);
        assertThat(purchase.number("pointsEarned")).isEqualTo(12);

        var spend = pos.post("/api/v1/members/" + member.id() + "/spends", Map.of("points", 5));
        assertThat(spend.status()).isEqualTo(201);
        assertThat(spend.number("balance")).isEqualTo(7);
        assertThat(fixtures.violations(group)).isEmpty();
    }
}
