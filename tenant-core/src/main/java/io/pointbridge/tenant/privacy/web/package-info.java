/** REST endpoints for key rotation, data export, erasure and retention settings. */
package io.pointbridge.tenant.privacy.web;
