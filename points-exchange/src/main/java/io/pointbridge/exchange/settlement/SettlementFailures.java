package io.pointbridge.exchange.settlement;

import io.pointbridge.tenant.DomainFailure;
import java.util.UUID;

/** The facts settlement refuses requests with. */
public final class SettlementFailures {

    private SettlementFailures() {
    }

    /** Without a value for its points, what a conversion out of the program is worth cannot be recorded. */
    public static final class ProgramValueMissing extends DomainFailure {
        public ProgramValueMissing(UUID program) {
            super(422, "program-value-missing", "Program value missing",
                "The group has not set what a point of program " + program + " is worth, so its points cannot be "
                    + "converted yet.");
            with("programId", program);
        }
    }
}
