package io.pointbridge.web;

import io.pointbridge.tenant.DomainFailure;
import io.pointbridge.tenant.InvalidRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * The one place API failures become RFC 9457 problem details. Every problem has a stable type;
 * validation problems name each field; nothing internal (stack traces, SQL) reaches the client.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    private static final Map<Integer, String> TYPES_BY_STATUS = Map.of(
        400, InvalidRequest.TYPE,
        401, "unauthenticated",
        403, "forbidden",
        404, "not-found",
        405, "method-not-allowed",
        406, "not-acceptable",
        409, "conflict",
        413, "request-too-large",
        415, "unsupported-media-type",
        500, "internal-error");

    @ExceptionHandler(DomainFailure.class)
    ResponseEntity<Object> domainFailure(DomainFailure failure, WebRequest request) {
        var problem = Problems.of(failure.status(), failure.type(), failure.title(), failure.getMessage());
        failure.properties().forEach(problem::setProperty);
        return respond(problem, request);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> accessDenied(AccessDeniedException denied, WebRequest request) {
        return respond(Problems.of(403, "forbidden", "Forbidden", "You may not do this."), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException mismatch, WebRequest request) {
        return invalid(List.of(error(mismatch.getName(), "is not a valid value")), request);
    }

    @ExceptionHandler(RequestTooLarge.class)
    ResponseEntity<Object> tooLarge(RequestTooLarge tooLarge, WebRequest request) {
        return respond(Problems.of(413, "request-too-large", "Request too large", tooLarge.getMessage()), request);
    }

    /** Reached only by a race the application's own checks could not see; the transaction rolled back. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> conflict(DataIntegrityViolationException violation, WebRequest request) {
        log.warn("Refused by a database constraint: {}", constraintOf(violation));
        return respond(Problems.of(409, "conflict", "Conflict",
            "The request conflicts with the current state; nothing was changed. Retry it."), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception failure, WebRequest request) {
        log.error("Unexpected failure on {}", describe(request), failure);
        return respond(Problems.of(500, "internal-error", "Internal error",
            "Something went wrong on our side; nothing was changed."), request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException invalid,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = new ArrayList<Map<String, Object>>();
        invalid.getBindingResult().getFieldErrors()
            .forEach(field -> errors.add(error(field.getField(), field.getDefaultMessage())));
        invalid.getBindingResult().getGlobalErrors()
            .forEach(global -> errors.add(error(global.getObjectName(), global.getDefaultMessage())));
        return invalid(errors, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException invalid,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = new ArrayList<Map<String, Object>>();
        // A body validated together with a constrained path variable reports its own fields, not the parameter.
        invalid.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
            errors.add(error(error instanceof FieldError field ? field.getField()
                : result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
        return invalid(errors, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException unreadable,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = unreadable; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooLarge tooLarge) {
                return tooLarge(tooLarge, request);
            }
        }
        if (unreadable.getCause() instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            return invalid(List.of(error(path(jackson), "has the wrong type or format")), request);
        }
        return respond(Problems.of(400, "malformed-request", "Malformed request",
            "The request body is missing or is not well-formed JSON."), request);
    }

    /** Framework-detected failures keep their status and get our stable type for it; details stay generic. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem && (problem.getType() == null
                || URI.create("about:blank").equals(problem.getType()))) {
            var type = TYPES_BY_STATUS.getOrDefault(status.value(), status.is4xxClientError() ? InvalidRequest.TYPE : "internal-error");
            problem.setType(URI.create(Problems.TYPE_BASE + type));
            instance(problem, request);
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private ResponseEntity<Object> invalid(List<Map<String, Object>> errors, WebRequest request) {
        var fields = errors.stream().map(error -> String.valueOf(error.get("field"))).distinct().toList();
        var problem = Problems.of(400, InvalidRequest.TYPE, "Invalid request", "Invalid " + String.join(", ", fields) + ".");
        problem.setProperty("errors", errors);
        return respond(problem, request);
    }

    private static Map<String, Object> error(String field, @Nullable String message) {
        return Map.of("field", field, "message", message == null ? "is invalid" : message);
    }

    private static String path(JacksonException jackson) {
        var path = new StringBuilder();
        for (var reference : jackson.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * The SQL state and PostgreSQL's message, which names the constraint; never its detail, which quotes the
     * offending values (personal data among them): the driver leaves it out ({@code logServerErrorDetail=false}
     * in application.yml), and anything but a driver message is named by its class only.
     */
    private static String constraintOf(DataIntegrityViolationException violation) {
        if (violation.getMostSpecificCause() instanceof SQLException sql) {
            return sql.getSQLState() + " " + sql.getMessage();
        }
        return violation.getMostSpecificCause().getClass().getSimpleName();
    }

    private static ResponseEntity<Object> respond(ProblemDetail problem, WebRequest request) {
        instance(problem, request);
        return ResponseEntity.status(problem.getStatus()).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
            .body(problem);
    }

    private static void instance(ProblemDetail problem, WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            HttpServletRequest http = servlet.getRequest();
            problem.setInstance(URI.create(http.getRequestURI()));
        }
    }

    private static String describe(WebRequest request) {
        return request instanceof ServletWebRequest servlet
            ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI() : request.toString();
    }
}
