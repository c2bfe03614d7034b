package io.erpsync.config;

import org.apache.camel.spi.PropertiesComponent;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads of the operator's settings through Camel's properties component, so a key resolves
 * the same way here as in a route: application.properties, the profile file, then JVM system
 * properties and environment variables (ERP_BASE_URL for erp.base-url) override.
 */
public final class Settings {
    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public Optional<String> find(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String text(String key, String dflt) {
        return find(key).orElse(dflt);
    }

    public String required(String key) {
        return find(key).orElseThrow(() -> new IllegalStateException("missing setting " + key));
    }

    public int integer(String key, int dflt) {
        String v = text(key, null);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting " + key + " must be a whole number, was '" + v + "'");
        }
    }

    public boolean flag(String key, boolean dflt) {
        return find(key).map(Boolean::parseBoolean).orElse(dflt);
    }

    public Duration duration(String key, Duration dflt) {
        return find(key).map(v -> Durations.parse(key, v)).orElse(dflt);
    }

    /** A comma-separated list of durations, e.g. sync.retry.lock-delays = 2s,5s,10s. */
    public List<Duration> durations(String key, String dflt) {
        return list(key, dflt).stream().map(d -> Durations.parse(key, d)).toList();
    }

    public List<String> list(String key, String dflt) {
        return Arrays.stream(text(key, dflt).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
