package io.pointbridge.web;

import java.io.IOException;

/** A request body over the configured limit; answered with 413. */
class RequestTooLarge extends IOException {
    RequestTooLarge(long limit) {
        super("Request bodies are limited to " + limit + " bytes.");
    }
}
