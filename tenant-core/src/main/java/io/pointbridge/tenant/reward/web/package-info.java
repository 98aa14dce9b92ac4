/** REST endpoints of the reward catalog, of members' redemptions and of coupons. */
package io.pointbridge.tenant.reward.web;
