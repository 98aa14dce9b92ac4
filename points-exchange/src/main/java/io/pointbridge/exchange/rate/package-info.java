/** Exchange rates per ordered pair of programs: versioned terms, fees, caps, restrictions and the rounding rule. */
package io.pointbridge.exchange.rate;
