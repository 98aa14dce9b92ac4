package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.security.EndpointCalls.Call;
import io.pointbridge.security.ForeignIdVerdict.Swap;
import io.pointbridge.testing.Api.Response;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cross-tenant sweep's judgment of an answer, on answers made up to be right and wrong in each way. */
class ForeignIdVerdictTests {

    private static final String THEIRS = "7d0b3c4e-0000-4000-8000-00000000000b";
    private static final String UNKNOWN = "5f1a9e2c-0000-4000-8000-00000000000f";
    private static final String OTHER_OF_THEIRS = "1e2f3a4b-0000-4000-8000-0000000000bb";
    private static final List<Swap> SWAP = List.of(new Swap(IdKind.MEMBER, THEIRS, UNKNOWN));
    private static final Call READ_THEIRS = new Call("GET", "/api/v1/members/" + THEIRS, null);

    @Test
    void acceptsARefusalWordForWordLikeTheOneOfAnUnknownId() {
        assertThat(faults(READ_THEIRS, notFound(THEIRS), notFound(UNKNOWN), true)).isEmpty();
    }

    @Test
    void flagsAnAnswerThatServesTheOtherTenantsObject() {
        assertThat(faults(READ_THEIRS, answer(200, "application/json", "{\"id\":\"" + THEIRS + "\"}"), notFound(UNKNOWN),
            true)).singleElement().asString().contains("accepted another tenant's id");
    }

    @Test
    void flagsAServerError() {
        assertThat(faults(READ_THEIRS, problem(500, "internal-error", "oops"), notFound(UNKNOWN), true))
            .anySatisfy(fault -> assertThat(fault).startsWith("answered 500"));
    }

    @Test
    void flagsARefusalThatTellsTheOtherTenantsIdApart() {
        var forbidden = problem(403, "forbidden", "You may not do this.");

        assertThat(faults(READ_THEIRS, forbidden, notFound(UNKNOWN), false))
            .anySatisfy(fault -> assertThat(fault).startsWith("told apart from an unknown id"));
        assertThat(faults(READ_THEIRS, problem(404, "member-not-found", "Member " + THEIRS + " is in another tenant."),
            notFound(UNKNOWN), true)).anySatisfy(fault -> assertThat(fault).startsWith("told apart from an unknown id"));
    }

    @Test
    void flagsAPathIdRefusedForAnythingButNotFound() {
        var invalid = problem(400, "invalid-request", "Invalid name.");

        assertThat(faults(READ_THEIRS, invalid, invalid, true)).singleElement().asString()
            .contains("not 404 as for an id in the path that names nothing");
    }

    @Test
    void letsAFilterAnswerAsForAnUnknownIdButNotOtherwise() {
        var filter = new Call("GET", "/api/v1/programs?brandId=" + THEIRS, null);
        var empty = answer(200, "application/json", "[]");

        assertThat(faults(filter, empty, empty, false)).isEmpty();
        assertThat(faults(filter, answer(200, "application/json", "[{\"id\":\"x\"}]"), empty, false)).singleElement()
            .asString().contains("answered otherwise than for an unknown id");
    }

    @Test
    void flagsAnAnswerShowingAnIdOfTheOtherTenantThatTheCallDidNotName() {
        var leaking = problem(404, "member-not-found", "Member " + THEIRS + " belongs to person " + OTHER_OF_THEIRS);
        var alike = problem(404, "member-not-found", "Member " + UNKNOWN + " belongs to person " + OTHER_OF_THEIRS);

        assertThat(faults(READ_THEIRS, leaking, alike, true)).singleElement().asString()
            .startsWith("shows the other tenant's " + OTHER_OF_THEIRS);
    }

    @Test
    void letsASubjectTheApiTakesWhateverItIsBeAcceptedAsAnUnknownOneButNotOtherwise() {
        var unlink = new Call("DELETE", "/api/v1/member-logins/" + THEIRS, null);
        var subject = List.of(new Swap(IdKind.LOGIN_SUBJECT, THEIRS, UNKNOWN));
        var noContent = answer(204, "application/json", "");

        assertThat(ForeignIdVerdict.faults(unlink, noContent, noContent, subject, false, 404, List.of(THEIRS))).isEmpty();
        assertThat(ForeignIdVerdict.faults(unlink, noContent, problem(404, "member-login-not-found", "No " + UNKNOWN + "."),
            subject, false, 404, List.of(THEIRS))).singleElement().asString()
            .startsWith("took another tenant's id otherwise than an unknown one");
        assertThat(ForeignIdVerdict.faults(unlink, noContent, noContent, SWAP, true, 404, List.of(THEIRS)))
            .singleElement().asString().startsWith("accepted another tenant's id");
    }

    private static List<String> faults(Call call, Response foreign, Response unknown, boolean inPath) {
        return ForeignIdVerdict.faults(call, foreign, unknown, SWAP, inPath, 404, List.of(THEIRS, OTHER_OF_THEIRS));
    }

    private static Response notFound(String id) {
        return problem(404, "member-not-found", "No member " + id + ".");
    }

    private static Response problem(int status, String type, String detail) {
        return answer(status, "application/problem+json", "{\"type\":\"https://pointbridge.io/problems/" + type
            + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }

    private static Response answer(int status, String contentType, String body) {
        return new Response(status, body, HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (name, value) -> true));
    }
}
