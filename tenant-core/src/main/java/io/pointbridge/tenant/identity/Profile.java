package io.pointbridge.tenant.identity;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/** A person's name and birthday, as given; each may be unknown. Its {@link #toString()} shows none of it. */
public record Profile(@Nullable String givenName, @Nullable String familyName, @Nullable LocalDate birthday) {

    public static Profile empty() {
        return new Profile(null, null, null);
    }

    @Override
    public String toString() {
        return "Profile(masked)";
    }
}
