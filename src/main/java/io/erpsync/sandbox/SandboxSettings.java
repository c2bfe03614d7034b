package io.erpsync.sandbox;

import io.erpsync.config.Settings;

import java.util.List;
import java.util.Objects;

/** Start-up settings of the sandbox from sandbox.* keys (the same names as its run-time knobs). */
public final class SandboxSettings {
    static final List<String> KNOBS = List.of("latency-ms", "latency-jitter", "throttle-rate", "unavailable-rate", "server-error-rate", "throttle-above",
            "retry-after-seconds", "retry-after-as-date", "modified-rate", "edit-after-read-rate", "editor-interval-ms");

    private SandboxSettings() {
    }

    /** The sandbox signs in whoever the runtime is configured as; with no erp.* credentials, its own sandbox user. */
    public static SandboxErp.Config from(Settings s) {
        SandboxErp.Config c = new SandboxErp.Config();
        c.bindAddress = s.text("sandbox.bind-address");
        c.port = s.integer("sandbox.port");
        c.items = s.integer("sandbox.items");
        c.bills = s.integer("sandbox.bills");
        c.categories = s.integer("sandbox.categories");
        c.seed = s.integer("sandbox.seed");
        c.username = s.optional("erp.username").orElse(c.username);
        c.password = Objects.requireNonNullElse(s.secret("erp.password"), c.password);
        c.token = s.secret("erp.token");
        for (String knob : KNOBS) {
            s.find("sandbox." + knob).ifPresent(v -> Knobs.apply(c.knobs, knob, v));
        }
        return c;
    }
}
