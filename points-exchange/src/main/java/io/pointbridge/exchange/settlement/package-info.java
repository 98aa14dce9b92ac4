/** Inter-brand settlement: what each program's point is worth, what crossed between brands, and statements. */
@org.springframework.modulith.NamedInterface("settlement")
package io.pointbridge.exchange.settlement;
