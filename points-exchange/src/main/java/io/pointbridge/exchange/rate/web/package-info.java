/** REST endpoints where tenant admins change exchange rates and others read them. */
package io.pointbridge.exchange.rate.web;
