package io.pointbridge.tenant.identity.web;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.identity.Profile;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/**
 * A person's name and birthday as an integration or admin sends them; a field left out is cleared (the profile
 * is replaced as a whole). Names are free text without control characters, trimmed.
 */
record ProfileRequest(
        @Size(min = 1, max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String givenName,
        @Size(min = 1, max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String familyName,
        @Past LocalDate birthday) {

    private static final LocalDate EARLIEST_BIRTHDAY = LocalDate.of(1900, 1, 1);

    Profile profile() {
        if (birthday != null && birthday.isBefore(EARLIEST_BIRTHDAY)) {
            throw new InvalidRequest("birthday", "must be on or after " + EARLIEST_BIRTHDAY);
        }
        return new Profile(strip(givenName, "givenName"), strip(familyName, "familyName"), birthday);
    }

    @Override
    public String toString() {
        return "ProfileRequest[<personal data>]";
    }

    private static String strip(String name, String field) {
        if (name == null) {
            return null;
        }
        var stripped = name.strip();
        if (stripped.isEmpty()) {
            throw new InvalidRequest(field, "must not be blank");
        }
        return stripped;
    }
}
