/** A person's points across the group: every membership's balance, and how much of it can be converted. */
package io.pointbridge.exchange.balance;
