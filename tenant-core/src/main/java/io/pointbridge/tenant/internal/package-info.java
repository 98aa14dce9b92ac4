/** Wiring of the tenant core (the tenant-aware transaction manager). */
package io.pointbridge.tenant.internal;
