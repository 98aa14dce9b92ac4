package io.pointbridge.testing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Gives a test context a {@link MovableClock}. Imported by the test classes that move time (all with the same
 * import, so they share one context), never scanned: other contexts keep the real clock.
 */
public class MovableTime {

    @Bean
    @Primary
    MovableClock movableClock() {
        return new MovableClock();
    }
}
