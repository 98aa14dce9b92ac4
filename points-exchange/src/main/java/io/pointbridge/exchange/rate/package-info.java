/** Exchange rates per ordered pair of programs: versioned terms, fees, caps, restrictions and the rounding rule. */
@org.springframework.modulith.NamedInterface("rate")
package io.pointbridge.exchange.rate;
