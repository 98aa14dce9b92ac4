/**
 * SaaS plans, usage metering and Stripe subscriptions for tenants (filled by the billing issue).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Billing")
package io.pointbridge.billing;
