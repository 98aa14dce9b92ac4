/** Persons (one identity across a group's brands) and their memberships in brand programs. */
@org.springframework.modulith.NamedInterface("member")
package io.pointbridge.tenant.member;
