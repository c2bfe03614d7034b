package io.erpsync.sync;

import io.erpsync.config.Settings;

import java.math.BigDecimal;

/** Stock-outs first (application.properties: Stock-outs first, sync.priority.*). */
public record PrioritySettings(boolean enabled, BigDecimal threshold, BigDecimal dropPercent, int batchSize) {

    public static PrioritySettings from(Settings s) {
        return new PrioritySettings(s.flag("sync.priority.enabled"), BigDecimal.valueOf(s.decimal("sync.priority.threshold")),
                BigDecimal.valueOf(s.decimal("sync.priority.drop")), s.integer("sync.priority.batch-size"));
    }

    public StockOutRule rule() {
        return new StockOutRule(threshold, dropPercent);
    }
}
