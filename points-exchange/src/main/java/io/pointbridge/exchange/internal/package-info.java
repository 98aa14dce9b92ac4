/** Helpers the exchange's features share and nobody else uses: list cursors and the module's settings wiring. */
package io.pointbridge.exchange.internal;
