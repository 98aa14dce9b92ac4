package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.Caller.BrandScope;
import io.pointbridge.tenant.Caller.Role;
import io.pointbridge.tenant.PersonalData;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A caller's brand scope and sight of personal data, and how masked data reads. */
class CallerTests {

    private static final UUID CAFE = UUID.randomUUID();
    private static final UUID CINEMA = UUID.randomUUID();

    @Test
    void aBrandScopedCallerActsOnlyOnItsBrands() {
        var manager = caller(BrandScope.only(Set.of(CAFE, CINEMA)), Role.BRAND_MANAGER);
        var key = caller(BrandScope.only(Set.of(CAFE)), Role.INTEGRATION);
        var unassigned = caller(BrandScope.only(Set.of()), Role.BRAND_MANAGER);

        assertThat(manager.mayActOnBrand(CINEMA)).isTrue();
        assertThat(key.mayActOnBrand(CINEMA)).isFalse();
        assertThat(unassigned.mayActOnBrand(CAFE)).isFalse();
        assertThat(caller(BrandScope.all(), Role.TENANT_ADMIN).mayActOnBrand(CINEMA)).isTrue();
    }

    @Test
    void namesItsSingleBrandOnlyWhenScopedToExactlyOne() {
        assertThat(caller(BrandScope.only(Set.of(CAFE)), Role.INTEGRATION).singleBrand()).hasValue(CAFE);
        assertThat(caller(BrandScope.only(Set.of(CAFE, CINEMA)), Role.BRAND_MANAGER).singleBrand()).isEmpty();
        assertThat(caller(BrandScope.all(), Role.TENANT_ADMIN).singleBrand()).isEmpty();
    }

    @Test
    void onlySupportAgentsAndMembersSeePersonalDataMasked() {
        assertThat(caller(BrandScope.all(), Role.SUPPORT_AGENT).seesPersonalData()).isFalse();
        assertThat(caller(BrandScope.only(Set.of()), Role.MEMBER).seesPersonalData()).isFalse();
        assertThat(caller(BrandScope.all(), Role.SUPPORT_AGENT, Role.TENANT_ADMIN).seesPersonalData())
            .as("roles add up").isTrue();
        assertThat(caller(BrandScope.only(Set.of(CAFE)), Role.INTEGRATION).seesPersonalData()).isTrue();
        assertThat(caller(BrandScope.only(Set.of(CAFE)), Role.BRAND_MANAGER).seesPersonalData()).isTrue();
    }

    @Test
    void masksAllButTheLastThreeCharactersOfLongerValues() {
        var support = caller(BrandScope.all(), Role.SUPPORT_AGENT);

        assertThat(PersonalData.mask("cust-4242")).isEqualTo("•••242");
        assertThat(PersonalData.mask("abcdef")).isEqualTo("•••");
        assertThat(PersonalData.mask(null)).isNull();
        assertThat(PersonalData.shown(support, "cust-4242")).isEqualTo("•••242");
        assertThat(PersonalData.shown(caller(BrandScope.all(), Role.TENANT_ADMIN), "cust-4242")).isEqualTo("cust-4242");
    }

    private static Caller caller(BrandScope brands, Role... roles) {
        return new Caller("user:test", Optional.of(UUID.randomUUID()), brands, Set.of(roles));
    }
}
