/** Helpers the exchange's features share and nobody else uses: the module's settings wiring. */
package io.pointbridge.exchange.internal;
