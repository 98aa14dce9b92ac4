/** REST endpoints that enroll and find members. */
package io.pointbridge.tenant.member.web;
