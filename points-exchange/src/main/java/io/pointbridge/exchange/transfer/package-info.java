/** Quotes and transfers of points between two memberships of one person, their caps, reversal and events. */
package io.pointbridge.exchange.transfer;
