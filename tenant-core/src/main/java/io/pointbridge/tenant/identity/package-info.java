/**
 * One identity across a group's brands: contact points found through a per-tenant keyed hash, linking of
 * memberships to the person they belong to (with consent), merging of persons found to be the same, the
 * view of one person's balances across the group, and which person a member's sign-in is.
 */
@org.springframework.modulith.NamedInterface("identity")
package io.pointbridge.tenant.identity;
