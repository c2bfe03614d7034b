package io.erpsync.config;

import org.apache.camel.spi.PropertiesComponent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of the operator's settings through Camel's properties component, so a key resolves
 * the same way here as in a route: application.properties, the profile file, then JVM system
 * properties and environment variables (ERP_BASE_URL for erp.base-url) override.
 *
 * <p>There are no defaults here: each one is written once, in application.properties (in the jar
 * too). A key that no source defines is a start-up error naming it; a key defined blank is an
 * optional setting left unset.
 */
public final class Settings {
    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** The value, or empty when the key is blank or not defined at all (for checks that a setting is given). */
    public Optional<String> find(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** An optional setting: empty when blank. The key itself must be defined (application.properties declares it). */
    public Optional<String> optional(String key) {
        if (properties.resolveProperty(key).isEmpty()) {
            throw new StartupRefused("erp-sync cannot start: setting " + key + " is not defined; its default belongs in "
                    + "application.properties (was the file replaced by one without it?)");
        }
        return find(key);
    }

    /** A setting that must have a value. */
    public String text(String key) {
        return optional(key).orElseThrow(() -> new StartupRefused("erp-sync cannot start: setting " + key + " is empty"));
    }

    /** A setting that must have a value, whether or not its key is declared (the ones required in prod). */
    public String required(String key) {
        return find(key).orElseThrow(() -> new IllegalStateException("missing setting " + key));
    }

    public int integer(String key) {
        return parsed(key, Integer::parseInt, "a whole number");
    }

    /** A share or a rate such as 0.05 or 30. */
    public double decimal(String key) {
        return parsed(key, Double::parseDouble, "a number such as 0.05");
    }

    private <T> T parsed(String key, Function<String, T> parse, String what) {
        String v = text(key);
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting " + key + " must be " + what + ", was '" + v + "'");
        }
    }

    /** true or false, in any case; anything else (yes, 1, on, a typo) is refused, naming the setting, rather than read as false. */
    public boolean flag(String key) {
        String v = text(key);
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return v.equalsIgnoreCase("true");
        }
        throw new IllegalStateException("setting " + key + " must be true or false, was '" + v + "'");
    }

    public Duration duration(String key) {
        return Durations.parse(key, text(key));
    }

    /** A comma-separated list of durations, e.g. sync.retry.lock-delays = 2s,5s,10s. */
    public List<Duration> durations(String key) {
        return list(key).stream().map(d -> Durations.parse(key, d)).toList();
    }

    /** A comma-separated list; blank is the empty list. */
    public List<String> list(String key) {
        return Arrays.stream(optional(key).orElse("").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * A size such as 32MB, 512KB or 1048576 (bytes); units are powers of 1024.
     */
    public long bytes(String key) {
        String v = text(key);
        String t = v.toUpperCase(Locale.ROOT).replace(" ", "");
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
     * break; null when neither is given. Setting both is refused: which one wins would be a guess.
     */
    public String secret(String key) {
        Optional<String> direct = optional(key);
        Optional<String> file = optional(key + "-file");
        if (direct.isPresent() && file.isPresent()) {
            throw new StartupRefused("both " + key + " and " + key + "-file are set; keep one");
        }
        if (file.isEmpty()) {
            return direct.orElse(null);
        }
        Path path = Path.of(file.get());
        try {
            String text = Files.readString(path).strip();
            if (text.isEmpty()) {
                throw new StartupRefused(key + "-file " + path + " is empty");
            }
            return text;
        } catch (IOException e) {
            throw new StartupRefused(key + "-file " + path + " cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }
}
