/** REST endpoints for members' points: balance, history, spending, manual adjustments and reversals. */
package io.pointbridge.tenant.ledger.web;
