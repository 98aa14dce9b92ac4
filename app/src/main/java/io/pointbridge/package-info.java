/** The Pointbridge application: wiring of the modules, security, API errors, operations and demo data. */
package io.pointbridge;
