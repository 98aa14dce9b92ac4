/** Demo data for the {@code demo} profile: a group with two brands, members and purchase history. */
package io.pointbridge.demo;
