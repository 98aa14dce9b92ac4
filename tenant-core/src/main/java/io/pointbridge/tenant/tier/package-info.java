/**
 * Tiers: a program's 3 to 5 levels, members' qualifying activity, their standing (upgraded as soon as they
 * qualify, reviewed at the end of each period, with an optional grace period), its history and benefits.
 */
@org.springframework.modulith.NamedInterface("tier")
package io.pointbridge.tenant.tier;
