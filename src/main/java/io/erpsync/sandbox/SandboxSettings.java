package io.erpsync.sandbox;

import io.erpsync.config.Settings;

import java.util.List;
import java.util.Objects;

/** Start-up settings of the sandbox from sandbox.* keys (the same names as its run-time knobs). */
public final class SandboxSettings {
    static final List<String> KNOBS = List.of("latency-ms", "throttle-rate", "unavailable-rate", "server-error-rate",
            "retry-after-seconds", "retry-after-as-date", "modified-rate", "edit-after-read-rate", "editor-interval-ms");

    private SandboxSettings() {
    }

    public static SandboxErp.Config from(Settings s) {
        SandboxErp.Config c = new SandboxErp.Config();
        c.bindAddress = s.text("sandbox.bind-address", c.bindAddress);
        c.port = s.integer("sandbox.port", 0);
        c.items = s.integer("sandbox.items", c.items);
        c.bills = s.integer("sandbox.bills", c.bills);
        c.seed = s.integer("sandbox.seed", (int) c.seed);
        c.username = s.text("erp.username", c.username);
        c.password = Objects.requireNonNullElse(s.secret("erp.password"), c.password);
        c.token = s.secret("erp.token");
        for (String knob : KNOBS) {
            String v = s.text("sandbox." + knob, null);
            if (v != null) {
                Knobs.apply(c.knobs, knob, v);
            }
        }
        return c;
    }
}
