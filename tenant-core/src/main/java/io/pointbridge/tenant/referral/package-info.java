/**
 * Referrals: each member's referral code, a program's referral terms, and the rewards both sides get on the
 * referee's first qualifying purchase; referring oneself, under any identity the group knows, is refused.
 */
@org.springframework.modulith.NamedInterface("referral")
package io.pointbridge.tenant.referral;
