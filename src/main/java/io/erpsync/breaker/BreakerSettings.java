package io.erpsync.breaker;

import io.erpsync.config.Settings;

import java.time.Duration;

/** The circuit breaker's settings (application.properties: Circuit breaker). */
public record BreakerSettings(float failureRatePercent, int window, int minimumUpdates, Duration openDuration, int probes) {

    public static BreakerSettings from(Settings s) {
        return new BreakerSettings((float) s.decimal("sync.breaker.failure-rate"), s.integer("sync.breaker.window"),
                s.integer("sync.breaker.minimum-updates"), s.duration("sync.breaker.open-duration"), s.integer("sync.breaker.probes"));
    }
}
