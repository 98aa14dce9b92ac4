package io.pointbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryNotReversible;
import io.pointbridge.testing.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The ledger's everyday path over HTTP, and which earns a reversal may correct. */
class LedgerSmokeIntegrationTests extends IntegrationTest {

    @Autowired
    private Ledger ledger;

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

    @Test
    void reversesAnEarnNoPurchaseMadeButNotAPurchasesEarn() {
        var group = fixtures.group();
        var member = fixtures.member(group);
        var earned = fixtures.as(group, () -> ledger.credit(new Credit(member.id(), 30, EntryKind.EARN,
            AccountKind.ISSUANCE, "review-1", "review", "test:smoke", null)));
        var purchase = api.withApiKey(group.cafe().apiKey()).post("/api/v1/members/" + member.id() + "/purchases",
            Map.of("orderId", "order-2", "amount", "10.00", "currency", "EUR"));
        var purchaseEntry = java.util.UUID.fromString(purchase.text("entryId"));

        var reversed = fixtures.as(group, () -> ledger.reverse(member.id(), earned.entryId(), "test:smoke", "mistake"));

        assertThat(reversed.points()).isEqualTo(-30);
        assertThat(reversed.balanceAfter()).isEqualTo(10);
        assertThatThrownBy(() -> fixtures.as(group, () -> ledger.reverse(member.id(), purchaseEntry, "test:smoke", "no")))
            .isInstanceOf(EntryNotReversible.class);
        assertThat(fixtures.violations(group)).isEmpty();
    }
}
