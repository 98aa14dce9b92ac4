/** REST endpoints where members convert points, through an integration: quotes, transfers and reversals. */
package io.pointbridge.exchange.transfer.web;
