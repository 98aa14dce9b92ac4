/** REST endpoints for tier schemes, members' tiers and progress, qualifying activity and the review job. */
package io.pointbridge.tenant.tier.web;
