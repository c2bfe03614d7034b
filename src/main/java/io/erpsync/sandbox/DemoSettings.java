package io.erpsync.sandbox;

import io.erpsync.config.Settings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dev profile's demo (README: See it work): the sample warehouse, how it keeps changing, and the
 * jobs and knobs of a busy sandbox ERP. Read at start, so a bad one stops the start.
 */
public record DemoSettings(boolean sampleEnabled, int sampleRows, Duration changeEvery, int changeRows, int seed, BusyErp.Plan knownJob,
                           BusyErp.Plan unknownJob, BusyErp.Plan lockStorm, Map<String, String> knobs) {

    public static DemoSettings from(Settings s) {
        Map<String, String> knobs = new LinkedHashMap<>();
        for (String knob : s.list("sandbox.busy.knobs")) {
            String[] kv = knob.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalStateException("setting sandbox.busy.knobs must be name=value pairs (edit-after-read-rate=0.03, ...), was '"
                        + knob + "'");
            }
            knobs.put(kv[0].trim(), kv[1].trim());
        }
        return new DemoSettings(s.flag("wms.sample.enabled"), s.integer("wms.sample.rows"), s.duration("wms.sample.change-every"),
                s.integer("wms.sample.change-rows"), s.integer("sandbox.seed"), plan(s, "sandbox.busy.known-job"),
                plan(s, "sandbox.busy.unknown-job"), plan(s, "sandbox.busy.lock-storm"), knobs);
    }

    private static BusyErp.Plan plan(Settings s, String key) {
        return BusyErp.Plan.parse(key, s.optional(key).orElse(null));
    }

    /** The sample warehouse keeps changing (wms.sample.change-every 0: it never does). */
    public boolean living() {
        return sampleEnabled && !changeEvery.isZero();
    }

    public boolean busy() {
        return knownJob != null || unknownJob != null || lockStorm != null;
    }
}
