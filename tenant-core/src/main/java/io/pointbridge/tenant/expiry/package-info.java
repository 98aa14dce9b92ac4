/**
 * Points over time: the jobs that announce pending points once they are spendable, move expired points to
 * breakage, and remind members before their points expire; scheduled on every instance, safe to run on several
 * at once, in batches that resume after a crash, and runnable on demand by tenant admins.
 */
package io.pointbridge.tenant.expiry;
