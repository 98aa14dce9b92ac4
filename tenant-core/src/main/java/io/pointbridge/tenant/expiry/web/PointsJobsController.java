package io.pointbridge.tenant.expiry.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.expiry.JobRun;
import io.pointbridge.tenant.expiry.PointsJobs;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tenant admins run a points job for their tenant now (it runs in the background: 202 and a run to follow) and
 * see the tenant's runs, requested or scheduled, with their progress.
 */
@RestController
@RequestMapping("/api/v1/points-jobs")
@PreAuthorize("hasRole('TENANT_ADMIN')")
class PointsJobsController {

    private final PointsJobs jobs;
    private final IdempotentRequests idempotent;

    PointsJobsController(PointsJobs jobs, IdempotentRequests idempotent) {
        this.jobs = jobs;
        this.idempotent = idempotent;
    }

    /** The request a run is identified by beside method and path: the job alone, there is no body. */
    record RunRequest(String job) {
    }

    @PostMapping("/{job}/runs")
    ResponseEntity<Object> run(@PathVariable String job, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var pointsJob = PointsJobs.job(job);
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), new RunRequest(pointsJob.slug()), () -> {
            var run = jobs.request(pointsJob, caller.actor());
            return ResponseEntity.accepted().location(URI.create("/api/v1/points-jobs/runs/" + run.id())).body(run);
        });
    }

    @GetMapping("/runs/{runId}")
    JobRun run(@PathVariable UUID runId) {
        return jobs.find(runId);
    }

    @GetMapping("/runs")
    List<JobRun> runs(@RequestParam(defaultValue = "20") @Min(1) @Max(PointsJobs.MAX_RECENT) int limit) {
        return jobs.recent(limit);
    }
}
