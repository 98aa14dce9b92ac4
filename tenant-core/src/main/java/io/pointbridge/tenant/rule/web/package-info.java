/** REST endpoints for earning rules (drafts, publication, dry runs, backtests) and for members' events. */
package io.pointbridge.tenant.rule.web;
