/**
 * The web console for platform operators, tenant admins and members (filled by the console issue).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Admin UI")
package io.pointbridge.admin;
