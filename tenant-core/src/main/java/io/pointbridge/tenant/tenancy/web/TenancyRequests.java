package io.pointbridge.tenant.tenancy.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the tenancy endpoints, validated at the edge. */
final class TenancyRequests {

    static final String CODE = "[a-z0-9][a-z0-9-]{1,62}";
    static final String CURRENCY = "[A-Z]{3}";
    /** Bean Validation's own check lets dot-less domains through; an admin's address needs a real domain. */
    static final String EMAIL = "[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+";
    /**
     * A person's name as the identity provider takes it: Keycloak's default user profile refuses control characters
     * and any of {@code < > & " $ % ! # ? § ; * ~ / \ | ^ = [ ] { } ( )} in first and last names, and a name it refused
     * would fail the onboarding as the identity provider's error (502) rather than as the caller's (400).
     */
    static final String PERSON_NAME = "[^<>&\"$%!#?\u00a7;*~/\\\\|^=\\[\\]{}()\\p{Cntrl}]*";
    /** The rule as a message template, where $, {, } and \ are escaped. */
    static final String PERSON_NAME_RULE =
        "no control characters, nor any of < > & \" \\$ % ! # ? \u00a7 ; * ~ / \\\\ | ^ = [ ] \\{ \\} ( )";

    private TenancyRequests() {
    }

    record CreateTenant(
            @NotNull @Pattern(regexp = CODE, message = "lower-case letters, digits and '-', 2 to 63 characters") String slug,
            @NotBlank @Size(max = 200) String name,
            @NotNull @Pattern(regexp = CURRENCY, message = "an ISO 4217 code such as EUR") String settlementCurrency,
            @NotNull @Valid FirstAdmin admin) {
    }

    /** The tenant's first admin: gets an account (or has theirs reused, found by email) in the tenant's organization. */
    record FirstAdmin(
            @NotBlank @Size(max = 254) @Email(regexp = EMAIL, message = "an email address such as dana@example.com") String email,
            @NotBlank @Size(max = 100) @Pattern(regexp = PERSON_NAME, message = PERSON_NAME_RULE)
            String firstName,
            @NotBlank @Size(max = 100) @Pattern(regexp = PERSON_NAME, message = PERSON_NAME_RULE)
            String lastName) {
    }

    record CreateBrand(
            @NotNull @Pattern(regexp = CODE, message = "lower-case letters, digits and '-', 2 to 63 characters") String code,
            @NotBlank @Size(max = 200) String name) {
    }

    record EarnRate(
            @NotNull @Min(0) @Max(1_000_000) Long points,
            @NotNull @Min(1) @Max(1_000_000_000) Long perMinorUnits) {
    }

    /** A brand's new state; its code stays. */
    record UpdateBrand(@NotBlank @Size(max = 200) String name) {
    }

    /** A program's new state; its code, brand and purchase currency stay. Without expiryMonths points never expire. */
    record UpdateProgram(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 100) String pointsName,
            @NotNull @jakarta.validation.Valid EarnRate earnRate,
            @Min(1) @Max(120) Integer expiryMonths) {
    }

    record CreateProgram(
            @NotNull @Pattern(regexp = CODE, message = "lower-case letters, digits and '-', 2 to 63 characters") String code,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 100) String pointsName,
            @NotNull @Pattern(regexp = CURRENCY, message = "an ISO 4217 code such as EUR") String purchaseCurrency,
            @NotNull @Valid EarnRate earnRate,
            @Min(1) @Max(120) Integer expiryMonths,
            @Size(max = 64) String timeZone) {
    }

    record ChangeTimeZone(@NotBlank @Size(max = 64) String timeZone) {
    }
}
