package io.erpsync;

import java.util.Map;

/** What a one-shot run (--once, --replay, --report) turns off, as settings over every other source (README: Start-up). */
final class OneShot {
    static final Map<String, String> OVERRIDES = Map.of(
            "camel.management.enabled", "false",
            "camel.metrics.enabled", "false",
            "camel.main.routes-reload-enabled", "false",
            "camel.main.jmx-management-m-beans-level", "ContextOnly",
            // the schedule routes only feed the Quartz scheduler, which a one-shot run never starts
            "camel.main.routes-exclude-pattern", "file:routes/*-schedule.camel.yaml",
            // its stop waits for each lane's poll in turn: 9 lanes of 100 ms were most of the time from the last request to the exit
            "camel.component.seda.default-poll-timeout", "10");

    private OneShot() {
    }
}
