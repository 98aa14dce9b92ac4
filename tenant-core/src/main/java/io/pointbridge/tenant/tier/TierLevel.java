package io.pointbridge.tenant.tier;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * One tier of a program: its place ({@code level}, 1 for the entry tier), a stable {@code code} other features
 * refer to (e.g. a reward restricted to {@code gold}), a display name, its benefits (an earning multiplier) and
 * what reaching it takes (none for the entry tier, where every member starts).
 */
public record TierLevel(int level, String code, String name, BigDecimal multiplier, @Nullable Qualification qualification) {
}
