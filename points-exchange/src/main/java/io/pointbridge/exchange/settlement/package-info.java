/** Inter-brand settlement: what each program's point is worth, what crossed between brands, and statements. */
package io.pointbridge.exchange.settlement;
