package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.member.MemberEnrolled;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Awards registration rules when a member enrolls, in the enrolment's own transaction just before it
 * commits: by then the member's wallet is open, and an enrolment that rolls back earns nothing.
 */
@Component
class EnrolmentEarnings {

    private final Earnings earnings;
    private final Memberships memberships;
    private final TenantManagement tenancy;

    EnrolmentEarnings(Earnings earnings, Memberships memberships, TenantManagement tenancy) {
        this.earnings = earnings;
        this.memberships = memberships;
        this.tenancy = tenancy;
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
    void on(MemberEnrolled enrolled) {
        TenantContext.runAs(enrolled.tenantId(), () -> {
            var member = memberships.require(enrolled.membershipId());
            earnings.earn(member, tenancy.program(enrolled.programId()),
                EarningEvent.of(EventTypes.REGISTRATION, member.enrolledAt(), null, Map.of()),
                Earnings.Source.ENROLMENT, member.id(), EventTypes.REGISTRATION, "registration", Earnings.ACTOR);
        });
    }
}
