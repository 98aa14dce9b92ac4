/** Purchases that earn points at a program's base rate, and refunds that take them back in proportion. */
@org.springframework.modulith.NamedInterface("purchase")
package io.pointbridge.tenant.purchase;
