package io.erpsync.gate;

import io.erpsync.config.Settings;

import java.time.Duration;
import java.util.List;

/** The job-dependency gate's settings (application.properties: Job-dependency gate); no jobs: the gate is off. */
public record GateSettings(List<String> jobs, Duration pollInterval, Duration maxWait, String onTimeout, String onError) {

    public static GateSettings from(Settings s) {
        return new GateSettings(s.list("sync.gate.jobs"), s.duration("sync.gate.poll-interval"), s.duration("sync.gate.max-wait"),
                s.text("sync.gate.on-timeout"), s.text("sync.gate.on-error"));
    }
}
