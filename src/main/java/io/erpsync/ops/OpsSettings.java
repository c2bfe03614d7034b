package io.erpsync.ops;

import io.erpsync.config.Settings;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/** Operations' settings (application.properties: Schedule, Management): what runs on a schedule, JMX, health, the status page. */
public record OpsSettings(boolean scheduleEnabled, boolean fullReconcileScheduled, boolean bomEnabled, ZoneId zone, Duration reportWindow,
                          boolean jmxEnabled, RemoteJmxSettings remoteJmx, String metricsExcludeRoutes, Duration erpProbeCache,
                          int failedCycles, Duration shutdownTimeout, JolokiaSettings jolokia) {

    /**
     * Jolokia as erp-sync serves it (management.jolokia.*), and the users file of Camel's management
     * authentication whose roles say who may act (empty: authentication off, everyone only reads).
     */
    public record JolokiaSettings(boolean enabled, String allowedOrigins, Optional<String> usersFile) {
    }

    /** Remote JMX over RMI (management.jmx.remote.*). */
    public record RemoteJmxSettings(boolean enabled, String host, int port, Optional<String> passwordFile, Optional<String> accessFile) {
    }

    public static OpsSettings from(Settings s) {
        return new OpsSettings(s.flag("sync.schedule.enabled"), s.flag("sync.full-reconcile.schedule.enabled"), s.flag("bom.enabled"),
                ZoneId.of(s.text("sync.batch.zone")), s.duration("management.status.report-window"), s.flag("camel.main.jmx-enabled"),
                new RemoteJmxSettings(s.flag("management.jmx.remote.enabled"), s.text("management.jmx.remote.host"),
                        s.integer("management.jmx.remote.port"), s.optional("management.jmx.remote.password-file"),
                        s.optional("management.jmx.remote.access-file")),
                s.optional("management.metrics.exclude-routes").orElse(""), s.duration("management.health.erp-probe-cache"),
                s.integer("management.health.failed-cycles"), Duration.ofSeconds(s.integer("camel.main.shutdown-timeout")),
                new JolokiaSettings(s.flag("camel.management.enabled") && s.flag("management.jolokia.enabled"),
                        s.optional("management.jolokia.allowed-origins").orElse(""),
                        // Camel's own keys, with Camel's defaults (authentication off)
                        s.find("camel.management.authentication-enabled").map(Boolean::parseBoolean).orElse(false)
                                ? s.find("camel.management.basic-properties-file") : Optional.empty()));
    }
}
