package io.pointbridge.testing;

import io.pointbridge.tenant.reward.TierLevels;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * Tier levels tests set for the members they make; every other member's level comes from the application's own
 * {@link TierLevels} (the tier feature's), or is 0 without one. Primary, so rewards ask this one first.
 */
@Component
@Primary
public class TierLevelsForTests implements TierLevels {

    private final Map<UUID, Integer> levels = new ConcurrentHashMap<>();
    private final ObjectProvider<TierLevels> all;

    TierLevelsForTests(ObjectProvider<TierLevels> all) {
        this.all = all;
    }

    /** Puts the member at the level, whatever the tier feature says. */
    public void set(UUID membershipId, int level) {
        levels.put(membershipId, level);
    }

    @Override
    public int levelOf(UUID membershipId) {
        var level = levels.get(membershipId);
        if (level != null) {
            return level;
        }
        return all.stream().filter(other -> other != this).findFirst().map(other -> other.levelOf(membershipId))
            .orElse(0);
    }
}
