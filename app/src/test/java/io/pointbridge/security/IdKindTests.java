package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.security.PermissionMatrix.Endpoint;
import io.pointbridge.tenant.identity.MemberLogins;
import org.junit.jupiter.api.Test;

/**
 * The id kinds the tests that go over every endpoint can fill: each placeholder of the matrix has one, and a
 * placeholder without one stops them rather than being skipped.
 */
class IdKindTests {

    @Test
    void refusesToFillAPlaceholderOfAKindItDoesNotKnow() {
        var newEndpoint = new Endpoint("GET", "/api/v1/members/{memberId}/vouchers/{voucherId}");

        assertThatThrownBy(() -> EndpointCalls.path(newEndpoint, kind -> "an-id"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{voucherId}");
    }

    @Test
    void knowsEveryPlaceholderOfThePermissionMatrix() {
        var endpoints = PermissionMatrix.rows().keySet();

        assertThat(endpoints).allSatisfy(endpoint -> assertThat(EndpointCalls.path(endpoint, IdKind::name))
            .doesNotContain("{", "}"));
    }

    @Test
    void tellsTheSubjectsOfBrandGrantsAndOfMemberSignInsApartByPath() {
        assertThat(IdKind.inPath(new Endpoint("DELETE", "/api/v1/brand-grants/{subject}/{brandId}")))
            .containsExactly(IdKind.GRANT_SUBJECT, IdKind.BRAND);
        assertThat(IdKind.inPath(new Endpoint("DELETE", "/api/v1/member-logins/{subject}")))
            .containsExactly(IdKind.LOGIN_SUBJECT);
        assertThatThrownBy(() -> IdKind.inPath(new Endpoint("GET", "/api/v1/api-keys/{subject}")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{subject}");
    }

    @Test
    void makesUnknownIdsInTheFormTheApiTakes() {
        assertThat(IdKind.MEMBER.unknown()).matches("[0-9a-f-]{36}").isNotEqualTo(IdKind.MEMBER.unknown());
        assertThat(IdKind.COUPON_CODE.unknown()).matches("[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}");
        assertThat(IdKind.REFERRAL_CODE.unknown()).matches("[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}");
        assertThat(IdKind.LOGIN_SUBJECT.unknown()).matches(MemberLogins.SUBJECT);
    }
}
