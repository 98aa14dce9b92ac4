package io.pointbridge.tenant.apikey.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.apikey.ApiKeys;
import io.pointbridge.tenant.apikey.ApiKeys.ApiKey;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.tenancy.TenancyFailures.BrandNotFound;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API keys of a brand: issued (the secret shown once), listed without secrets, revoked; by tenant admins and the brand's managers. */
@RestController
@RequestMapping("/api/v1/brands/{brandId}/api-keys")
class ApiKeysController {

    private final ApiKeys apiKeys;
    private final IdempotentRequests idempotent;

    ApiKeysController(ApiKeys apiKeys, IdempotentRequests idempotent) {
        this.apiKeys = apiKeys;
        this.idempotent = idempotent;
    }

    record IssueApiKey(@NotBlank @Size(max = 100) String name) {
    }

    /** The issued key; {@code apiKey} is its secret, which is not stored and never shown again. */
    record IssuedKey(UUID id, UUID brandId, String name, String apiKey) {
    }

    /**
     * Issues a key. The secret is deliberately left out of the stored idempotent response: a retry with
     * the same Idempotency-Key gets the key's id without its secret, and must revoke and issue anew.
     */
    @PostMapping
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER')")
    ResponseEntity<Object> issue(@PathVariable UUID brandId, @Valid @RequestBody IssueApiKey request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        requireBrand(caller, brandId);
        IssuedKey[] shown = new IssuedKey[1];
        var response = idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var issued = apiKeys.issue(brandId, request.name(), caller.actor());
            shown[0] = new IssuedKey(issued.key().id(), brandId, issued.key().name(), issued.secret());
            return ResponseEntity.created(URI.create(http.getRequestURI() + "/" + issued.key().id())).body(issued.key());
        });
        if (shown[0] == null) {
            return response;
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders()).body(shown[0]);
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    List<ApiKey> list(@PathVariable UUID brandId, @AuthenticationPrincipal Caller caller) {
        requireBrand(caller, brandId);
        return apiKeys.list(brandId);
    }

    @DeleteMapping("/{keyId}")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER')")
    ApiKey revoke(@PathVariable UUID brandId, @PathVariable UUID keyId, @AuthenticationPrincipal Caller caller) {
        requireBrand(caller, brandId);
        return apiKeys.revoke(brandId, keyId);
    }

    /** Another brand's keys look like an unknown brand's to a brand manager. */
    private static void requireBrand(Caller caller, UUID brandId) {
        if (!caller.mayActOnBrand(brandId)) {
            throw new BrandNotFound(brandId);
        }
    }
}
