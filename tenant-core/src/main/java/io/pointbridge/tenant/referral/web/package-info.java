/** REST endpoints of referral terms, referral codes and referrals. */
package io.pointbridge.tenant.referral.web;
