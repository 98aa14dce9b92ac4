/**
 * The points exchange: a person converts points between their memberships in the group's brand programs at
 * versioned exchange rates ({@code rate}), through quotes and transfers ({@code transfer}) that the brands
 * settle between them ({@code settlement}); {@code balance} shows a person's points across the group.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Points exchange")
package io.pointbridge.exchange;
