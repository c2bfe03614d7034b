package io.erpsync.conflict;

import io.erpsync.config.Settings;

import java.time.Clock;

/** The ERP's request rate (application.properties: ERP): its cap and how it follows 429s and 503s. */
public record RateSettings(int maxPerSecond, boolean adaptive, int floor, double decrease, int increase) {

    public static RateSettings from(Settings s) {
        return new RateSettings(s.integer("erp.max-requests-per-second"), s.flag("erp.rate.adaptive"), s.integer("erp.rate.floor"),
                s.decimal("erp.rate.decrease"), s.integer("erp.rate.increase"));
    }

    public AdaptiveRate rate(Clock clock) {
        return new AdaptiveRate(adaptive, maxPerSecond, floor, decrease, increase, clock);
    }
}
