/**
 * Exchange rates, quotes and transfers of points between a group's brand programs, and inter-brand settlement (filled by the exchange issue).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Points exchange")
package io.pointbridge.exchange;
