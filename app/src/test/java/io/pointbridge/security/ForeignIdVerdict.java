package io.pointbridge.security;

import io.pointbridge.security.EndpointCalls.Call;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * How the answer to a call naming another tenant's ids is judged, against the answer to the same call naming ids
 * that exist nowhere: the other tenant's ids must be refused exactly as unknown ones are (same status, same
 * problem, word for word once the ids are set aside), with a problem type, never with a 5xx; an id in the path
 * is refused as not found (404). Only a read whose query names the id (a filter) may answer 2xx, and then as for
 * an unknown id; or a call whose swapped ids are all of kinds the API takes whatever they are
 * ({@link IdKind#answeredAsUnknown()}), again exactly as for unknown ones. No answer may show an id of the other
 * tenant that the call did not name itself.
 */
final class ForeignIdVerdict {

    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404, 409, 422);

    private ForeignIdVerdict() {
    }

    /** An id of the call that was swapped: what the other tenant's call named, and what the unknown one named. */
    record Swap(IdKind kind, String foreign, String unknown) {
    }

    /**
     * What is wrong with the answer {@code foreign}, compared with {@code unknown}; nothing if it is right.
     *
     * @param pathRefusal what an unknown id in the path must get: 404, or 403 where the caller may not call at all
     * @param inPath      whether a swapped id that must be refused (not {@link IdKind#answeredAsUnknown()}) is in
     *                    the path
     */
    static List<String> faults(Call call, Response foreign, Response unknown, List<Swap> swaps, boolean inPath,
            int pathRefusal, Collection<String> foreignIds) {
        var faults = new ArrayList<String>();
        var status = foreign.status();
        if (status >= 500) {
            faults.add("answered " + status + ": " + foreign.body());
        } else if (status < 300) {
            var takenWhateverTheyAre = !swaps.isEmpty() && swaps.stream().allMatch(swap -> swap.kind().answeredAsUnknown());
            if (!takenWhateverTheyAre && (inPath || !call.method().equals("GET"))) {
                faults.add("accepted another tenant's id: " + status + " " + foreign.body());
            } else if (takenWhateverTheyAre && !sameAnswer(foreign, unknown, swaps)) {
                faults.add("took another tenant's id otherwise than an unknown one: " + status + " " + foreign.body()
                    + " / " + unknown.status() + " " + unknown.body());
            } else if (!sameAnswer(foreign, unknown, swaps)) {
                faults.add("filtered by another tenant's id, answered otherwise than for an unknown id: " + status + " "
                    + foreign.body() + " / " + unknown.status() + " " + unknown.body());
            }
        } else {
            if (!foreign.contentType().startsWith("application/problem+json") || foreign.problemType().isBlank()) {
                faults.add("refused without a problem type: " + status + " " + foreign.body());
            } else if (!REFUSALS.contains(status)) {
                faults.add("refused with " + status + ", not one of " + REFUSALS + ": " + foreign.body());
            }
            if (inPath && status != pathRefusal) {
                faults.add("answered " + status + ", not " + pathRefusal + " as for an id in the path that names nothing: "
                    + foreign.body());
            }
            if (!sameAnswer(foreign, unknown, swaps)) {
                faults.add("told apart from an unknown id: " + status + " " + foreign.body() + " / " + unknown.status()
                    + " " + unknown.body());
            }
        }
        faults.addAll(leaks(call, foreign, foreignIds));
        return faults;
    }

    /** The other tenant's ids the answer shows that the call did not name itself. */
    static List<String> leaks(Call call, Response answer, Collection<String> foreignIds) {
        var named = call.path() + " " + (call.body() == null ? "" : Api.json(call.body()));
        return foreignIds.stream().filter(id -> answer.body().contains(id) && !named.contains(id))
            .map(id -> "shows the other tenant's " + id + ": " + answer.body()).toList();
    }

    private static boolean sameAnswer(Response foreign, Response unknown, List<Swap> swaps) {
        if (foreign.status() != unknown.status()) {
            return false;
        }
        var one = foreign.body();
        var other = unknown.body();
        // One token for every swapped id: a call naming two unknown ids may report either, e.g. the first in id order.
        for (var swap : swaps) {
            one = one.replace(swap.foreign(), "{id}");
            other = other.replace(swap.unknown(), "{id}");
        }
        return one.equals(other);
    }
}
