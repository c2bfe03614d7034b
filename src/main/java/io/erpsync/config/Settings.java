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

    /**
     * A size such as 32MB, 512KB or 1048576 (bytes); units are powers of 1024.
     */
    public long bytes(String key, long dflt) {
        String v = text(key, null);
        if (v == null) {
            return dflt;
        }
        String t = v.toUpperCase(java.util.Locale.ROOT).replace(" ", "");
        long unit = 1;
        for (String[] u : new String[][] {{"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalStateException("setting " + key + " must be a size such as 32MB, 512KB or 65536, was '" + v + "'");
        }
    }

    /**
     * A secret: the setting itself (usually from an environment variable) or the contents of the
     * file that {@code key-file} names (Docker and Kubernetes secrets), without its trailing line
     * break. Setting both is refused: which one wins would be a guess.
     */
    public String secret(String key) {
        Optional<String> direct = find(key);
        Optional<String> file = find(key + "-file");
        if (direct.isPresent() && file.isPresent()) {
            throw new StartupRefused("both " + key + " and " + key + "-file are set; keep one");
        }
        if (file.isEmpty()) {
            return direct.orElse(null);
        }
        java.nio.file.Path path = java.nio.file.Path.of(file.get());
        try {
            String text = java.nio.file.Files.readString(path).strip();
            if (text.isEmpty()) {
                throw new StartupRefused(key + "-file " + path + " is empty");
            }
            return text;
        } catch (java.io.IOException e) {
            throw new StartupRefused(key + "-file " + path + " cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    public List<String> list(String key, String dflt) {
        return Arrays.stream(text(key, dflt).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
