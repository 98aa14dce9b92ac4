/** How the API answers failures (RFC 9457 problem details) and guards its edge (request size). */
package io.pointbridge.web;
