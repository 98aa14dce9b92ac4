package io.pointbridge.exchange.rate;

import io.pointbridge.tenant.DomainFailure;
import java.util.UUID;

/** The facts rates refuse requests with. */
public final class RateFailures {

    private RateFailures() {
    }

    public static final class ExchangeRateNotFound extends DomainFailure {
        public ExchangeRateNotFound(UUID rate) {
            super(404, "exchange-rate-not-found", "Exchange rate not found",
                "No exchange rate " + rate + " is visible to you.");
        }
    }

    /** The pair has no rate in effect: never configured, ended, or not started yet. */
    public static final class NoExchangeRate extends DomainFailure {
        public NoExchangeRate(UUID source, UUID target) {
            super(422, "no-exchange-rate", "No exchange rate",
                "Points of program " + source + " cannot be converted to program " + target
                    + ": no rate is in effect.");
            with("sourceProgramId", source);
            with("targetProgramId", target);
        }
    }

    /** The pair's rate in effect is disabled; quotes given before the change no longer execute either. */
    public static final class ExchangeRateDisabled extends DomainFailure {
        public ExchangeRateDisabled(UUID source, UUID target) {
            super(422, "exchange-rate-disabled", "Exchange rate disabled",
                "Conversion from program " + source + " to program " + target + " is disabled.");
            with("sourceProgramId", source);
            with("targetProgramId", target);
        }
    }

    /** Points cannot be exchanged within one program. */
    public static final class SameProgram extends DomainFailure {
        public SameProgram(UUID program) {
            super(422, "same-program", "Same program",
                "Source and target are both program " + program + "; an exchange is between two programs.");
            with("programId", program);
        }
    }
}
