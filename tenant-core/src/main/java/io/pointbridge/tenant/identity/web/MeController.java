package io.pointbridge.tenant.identity.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.identity.MemberLogins;
import io.pointbridge.tenant.identity.PersonContact;
import io.pointbridge.tenant.identity.PersonProfiles;
import io.pointbridge.tenant.identity.Persons;
import io.pointbridge.tenant.identity.Persons.OwnBalances;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.tenant.ledger.Wallets.HistoryPage;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A member's own view, with their own token: who they are, their points in every program of the group and the
 * history of one of their memberships. Their sign-in is linked to their person on the first call
 * ({@link MemberLogins}); another person's membership answers as an unknown one.
 */
@RestController
@RequestMapping("/api/v1/me")
@PreAuthorize("hasRole('MEMBER')")
class MeController {

    private final MemberLogins logins;
    private final Persons persons;
    private final PersonProfiles profiles;
    private final Wallets wallets;

    MeController(MemberLogins logins, Persons persons, PersonProfiles profiles, Wallets wallets) {
        this.logins = logins;
        this.persons = persons;
        this.profiles = profiles;
        this.wallets = wallets;
    }

    /**
     * Who the member is: their person, how their sign-in was linked to it ({@code verified-email} or {@code admin})
     * and when, their name, and their contact points by kind.
     */
    record MemberSummary(UUID personId, Link link, @Nullable String givenName, @Nullable String familyName,
            List<PersonContact> contacts) {

        record Link(String how, Instant linkedAt) {
        }

        @Override
        public String toString() {
            return "MemberSummary[personId=" + personId + ", <personal data>]";
        }
    }

    @GetMapping
    MemberSummary summary(@AuthenticationPrincipal Caller caller) {
        var signedIn = logins.signedIn(caller);
        var profile = profiles.own(signedIn.personId());
        return new MemberSummary(signedIn.personId(), new MemberSummary.Link(signedIn.how(), signedIn.linkedAt()),
            profile.givenName(), profile.familyName(), profile.contacts());
    }

    /** The member's points in every program of the group: one entry per membership. */
    @GetMapping("/balances")
    OwnBalances balances(@AuthenticationPrincipal Caller caller) {
        return persons.ownBalances(logins.personOf(caller));
    }

    /** The movements of one of the member's memberships, newest first. */
    @GetMapping("/memberships/{memberId}/history")
    HistoryPage history(@PathVariable UUID memberId, @RequestParam(required = false) @Size(max = 64) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(Wallets.MAX_PAGE_SIZE) int limit,
            @AuthenticationPrincipal Caller caller) {
        return wallets.history(logins.ownMembership(caller, memberId).id(), cursor, limit);
    }
}
