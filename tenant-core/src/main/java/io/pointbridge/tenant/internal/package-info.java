/** Wiring of the tenant core (the tenant-aware transaction manager) and helpers its features share (list cursors). */
package io.pointbridge.tenant.internal;
