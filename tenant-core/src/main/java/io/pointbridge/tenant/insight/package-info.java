/**
 * Inflation watch: per program and period, the points issued, redeemed, expired and exchanged as the journal
 * records them, the outstanding liability, and the redemption rate.
 */
@org.springframework.modulith.NamedInterface("insight")
package io.pointbridge.tenant.insight;
