/** REST endpoints for contact points, consent, persons, merges and balances across the group. */
package io.pointbridge.tenant.identity.web;
