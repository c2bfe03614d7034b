package io.erpsync.bom;

import io.erpsync.config.Settings;
import io.erpsync.store.StoreSettings;

import java.time.Duration;
import java.util.Optional;

/** The bills-of-materials side's settings (application.properties: Bills of materials), all bom.* keys. */
public record BomSettings(boolean enabled, Optional<StoreSettings.Connection> inbox, String query, Optional<String> changeQuery, int lanes,
                          int staleAttempts, int changeOrderAfter, Duration changeOrderWindow, double conflictAlertRate,
                          Duration settleTimeout, int maxRetries) {

    public static BomSettings from(Settings s) {
        Optional<StoreSettings.Connection> inbox = s.optional("bom.datasource.url").map(url -> new StoreSettings.Connection(url,
                s.optional("bom.datasource.username").orElse(null), s.secret("bom.datasource.password")));
        return new BomSettings(s.flag("bom.enabled"), inbox, s.text("bom.query"), s.optional("bom.change-query"), s.integer("bom.lanes"),
                s.integer("bom.retry.stale-attempts"), s.integer("bom.change-order.after"), s.duration("bom.change-order.window"),
                s.decimal("bom.alert.conflict-rate"), s.duration("bom.cycle.settle-timeout"), s.integer("bom.retry.max-retries"));
    }

    public BomChanges.Settings changes() {
        return new BomChanges.Settings(lanes, staleAttempts, changeOrderAfter, changeOrderWindow, conflictAlertRate, settleTimeout, maxRetries);
    }
}
