/** REST endpoint of a program's points insights. */
package io.pointbridge.tenant.insight.web;
