package io.pointbridge.tenant.audit.web;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.audit.AuditFailures.ExportFormatNotAcceptable;
import io.pointbridge.tenant.audit.AuditSearch;
import io.pointbridge.tenant.audit.AuditSearch.AuditPage;
import io.pointbridge.tenant.audit.AuditSearch.ExportRange;
import io.pointbridge.tenant.audit.AuditSearch.Filter;
import io.pointbridge.tenant.audit.AuditTrail.AuditRecord;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/** The audit trail of the caller's tenant, for its admins: searched a page at a time, or exported by time range. */
@RestController
@RequestMapping("/api/v1/audit")
@PreAuthorize("hasRole('TENANT_ADMIN')")
class AuditController {

    private static final List<String> COLUMNS =
        List.of("id", "at", "actor", "action", "subject", "request_id", "before", "after");
    private static final CsvMapper CSV = CsvMapper.builder().build();
    private static final CsvSchema ROW = CsvSchema.builder().addColumns(COLUMNS, CsvSchema.ColumnType.STRING).build();
    private static final DateTimeFormatter FILE_TIME =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AuditSearch search;
    private final JsonMapper json;

    AuditController(AuditSearch search, JsonMapper json) {
        this.search = search;
        this.json = json;
    }

    /** What an export is written as; the first a client accepts is chosen, CSV when it accepts anything. */
    enum ExportFormat {
        CSV(new MediaType("text", "csv", StandardCharsets.UTF_8), "csv"),
        NDJSON(MediaType.APPLICATION_NDJSON, "ndjson");

        private final MediaType mediaType;
        private final String extension;

        ExportFormat(MediaType mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        static ExportFormat negotiate(@Nullable String format, @Nullable String accept) {
            if (format != null) {
                return Arrays.stream(values()).filter(candidate -> candidate.extension.equals(format)).findFirst()
                    .orElseThrow(() -> new InvalidRequest("format", "is csv or ndjson"));
            }
            List<MediaType> accepted;
            try {
                accepted = new ArrayList<>(accept == null || accept.isBlank() ? List.of(MediaType.ALL)
                    : MediaType.parseMediaTypes(accept));
            } catch (InvalidMediaTypeException unreadable) {
                throw notAcceptable();
            }
            accepted.sort(Comparator.comparingDouble((MediaType type) -> type.getQualityValue()).reversed());
            for (var type : accepted) {
                for (var candidate : values()) {
                    if (type.getQualityValue() > 0 && type.includes(candidate.mediaType)) {
                        return candidate;
                    }
                }
            }
            throw notAcceptable();
        }

        private static ExportFormatNotAcceptable notAcceptable() {
            return new ExportFormatNotAcceptable(
                Arrays.stream(values()).map(format -> format.mediaType.getType() + "/" + format.mediaType.getSubtype())
                    .toList());
        }
    }

    /** Records newest first, filtered by any of actor, action, subject and a time range ({@code to} not included). */
    @GetMapping
    AuditPage search(@RequestParam(required = false) @Size(max = 300) String actor,
            @RequestParam(required = false) @Size(max = 300) String action,
            @RequestParam(required = false) @Size(max = 300) String subject,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) @Size(max = 200) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(AuditSearch.MAX_PAGE_SIZE) int limit) {
        return search.page(new Filter(actor, action, subject, from, to), cursor, limit);
    }

    /**
     * Every record of a time range, oldest first, as CSV ({@code text/csv}) or JSON lines
     * ({@code application/x-ndjson}) by the Accept header or {@code format=csv|ndjson}. Streamed as it is
     * read, so a long range never sits in memory; the range is bounded ({@code pointbridge.audit.max-export-range}).
     */
    @GetMapping("/export")
    void export(@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) @Size(max = 10) String format,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept, HttpServletResponse response)
            throws IOException {
        var range = search.exportRange(from, to);
        var chosen = ExportFormat.negotiate(format, accept);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(chosen.mediaType.toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        var file = "audit-" + FILE_TIME.format(range.from()) + "-" + FILE_TIME.format(range.to())
            + "." + chosen.extension;
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(file).build().toString());
        var out = response.getOutputStream();
        switch (chosen) {
            case CSV -> writeCsv(range, out);
            case NDJSON -> writeNdjson(range, out);
        }
        out.flush();
    }

    private void writeCsv(ExportRange range, OutputStream out) throws IOException {
        out.write((String.join(",", COLUMNS) + "\n").getBytes(StandardCharsets.UTF_8));
        try (var rows = CSV.writer(ROW).without(StreamWriteFeature.AUTO_CLOSE_TARGET).writeValues(out)) {
            search.export(range, chunk -> {
                for (var record : chunk) {
                    rows.write(List.of(record.id().toString(), record.at().toString(), cell(record.actor()),
                        cell(record.action()), cell(record.subject()), cell(record.requestId()), text(record.before()),
                        text(record.after())));
                }
                rows.flush();
            });
        }
    }

    private void writeNdjson(ExportRange range, OutputStream out) throws IOException {
        search.export(range, chunk -> {
            for (AuditRecord record : chunk) {
                out.write(json.writeValueAsBytes(record));
                out.write('\n');
            }
            out.flush();
        });
    }

    private String text(@Nullable JsonNode node) {
        return node == null ? "" : json.writeValueAsString(node);
    }

    /**
     * A text cell a spreadsheet will not run as a formula (OWASP's CSV injection advice). The trail's own
     * values never start so; a caller's request id might.
     */
    private static String cell(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }
}
