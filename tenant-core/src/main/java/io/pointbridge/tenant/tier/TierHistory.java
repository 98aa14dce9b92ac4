package io.pointbridge.tenant.tier;

import java.util.List;
import java.util.Optional;

/** A page of a member's tier history, newest first; {@code nextCursor} is empty on the last page. */
public record TierHistory(List<TierChange> items, Optional<String> nextCursor) {

    public static final int MAX_PAGE_SIZE = 100;

    public TierHistory {
        items = List.copyOf(items);
    }
}
