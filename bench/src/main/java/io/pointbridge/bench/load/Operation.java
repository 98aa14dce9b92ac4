package io.pointbridge.bench.load;

/** One unit of work the load generator repeats: one request, or a short sequence counted as one (quote + transfer). */
@FunctionalInterface
public interface Operation {

    /** Sends the request(s); a response that is not 2xx comes back as a failed outcome, an exception as an error. */
    Http.Response call() throws Exception;
}
