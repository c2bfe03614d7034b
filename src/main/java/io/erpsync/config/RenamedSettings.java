package io.erpsync.config;

import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys renamed because their old names said something else than the setting does. An old name an
 * operator still sets keeps working, read as the new one, with one WARN naming the new name.
 */
public final class RenamedSettings {
    private static final Logger LOG = LoggerFactory.getLogger(RenamedSettings.class);
    /** Old name to new name. */
    public static final Map<String, String> NEW_NAMES = names();

    private RenamedSettings() {
    }

    private static Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        // it counts the retries after the first call, not the calls
        m.put("sync.retry.max-attempts", "sync.retry.max-retries");
        // an aggregator's completion interval, now a duration like its neighbours (a bare number stays milliseconds)
        m.put("sync.batch.completion-timeout", "sync.batch.completion-interval");
        // every cycle a full compare, against the weekly full-compare cycle beside the regular one
        m.put("sync.full-reconcile", "sync.full-reconcile.every-cycle");
        m.put("sync.full-reconcile.enabled", "sync.full-reconcile.schedule.enabled");
        // the read-and-merge rounds, as the stock side's sync.retry.stale-attempts
        m.put("bom.retry.max-attempts", "bom.retry.stale-attempts");
        return Collections.unmodifiableMap(m);
    }

    /** Reads each old name still set as its new name (an override, so routes' placeholders see it too). */
    public static void apply(PropertiesComponent properties) {
        Settings s = new Settings(properties);
        for (Map.Entry<String, String> rename : NEW_NAMES.entrySet()) {
            s.find(rename.getKey()).ifPresent(value -> {
                LOG.warn("setting {} is now called {}: its value {} is read as {} (rename it; the old name will go)", rename.getKey(),
                        rename.getValue(), value, rename.getValue());
                properties.addOverrideProperty(rename.getValue(), value);
            });
        }
    }
}
