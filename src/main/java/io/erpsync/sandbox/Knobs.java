package io.erpsync.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the sandbox misbehaves. Every field can be set at start-up (sandbox.* settings or
 * command-line flags) and at run time (PUT /sandbox/knobs or the Java API); reads are racy
 * by design, each request sees one consistent-enough snapshot.
 */
public final class Knobs {
    /** Every ERP request is answered this many ms after it arrived (or later, when its work takes longer): the ERP's latency. */
    public volatile long latencyMs;
    /** Each request's latency varies by up to this fraction of latencyMs either way (0.5: 50 % to 150 %), uniformly; 0 = none. */
    public volatile double latencyJitter;
    /** Fraction of ERP requests answered 429 / 503 / 500. */
    public volatile double throttleRate;
    public volatile double unavailableRate;
    public volatile double serverErrorRate;
    /** An ERP that throttles past a rate: requests beyond this many in one second are answered 429; 0 = no such limit. */
    public volatile int throttleAbove;
    /** Retry-After sent with 429/503 and with RECORD_LOCKED: seconds, or -1 for none. */
    public volatile int retryAfterSeconds = -1;
    /** Send Retry-After as an HTTP-date instead of delay-seconds (RFC 9110 10.2.3). */
    public volatile boolean retryAfterAsDate;
    /** Fraction of item updates answered 409 "The resource has been modified". */
    public volatile double modifiedRate;
    /** Fraction of the items in a collection read that "another user" edits right after (bumps their ETag). */
    public volatile double editAfterReadRate;
    /** Background editor: every this many ms another user edits one random item's description; 0 = off. */
    public volatile long editorIntervalMs;
    /** Until this instant every ERP request gets 503 without Retry-After (an outage). */
    public volatile Instant outageUntil = Instant.EPOCH;
    /** Until this instant the ESS endpoint answers 503 (scheduled-process service down). */
    public volatile Instant essDownUntil = Instant.EPOCH;


    /** Sets one knob by its JSON name (latencyMs) or its settings name (latency-ms). */
    public static void apply(Knobs knobs, String name, String value) {
        switch (name) {
            case "latencyMs", "latency-ms" -> knobs.latencyMs = Long.parseLong(value);
            case "latencyJitter", "latency-jitter" -> knobs.latencyJitter = Double.parseDouble(value);
            case "throttleRate", "throttle-rate" -> knobs.throttleRate = Double.parseDouble(value);
            case "unavailableRate", "unavailable-rate" -> knobs.unavailableRate = Double.parseDouble(value);
            case "serverErrorRate", "server-error-rate" -> knobs.serverErrorRate = Double.parseDouble(value);
            case "throttleAbove", "throttle-above" -> knobs.throttleAbove = Integer.parseInt(value);
            case "retryAfterSeconds", "retry-after-seconds" -> knobs.retryAfterSeconds = Integer.parseInt(value);
            case "retryAfterAsDate", "retry-after-as-date" -> knobs.retryAfterAsDate = Boolean.parseBoolean(value);
            case "modifiedRate", "modified-rate" -> knobs.modifiedRate = Double.parseDouble(value);
            case "editAfterReadRate", "edit-after-read-rate" -> knobs.editAfterReadRate = Double.parseDouble(value);
            case "editorIntervalMs", "editor-interval-ms" -> knobs.editorIntervalMs = Long.parseLong(value);
            case "outageUntil" -> knobs.outageUntil = Instant.parse(value);
            case "essDownUntil" -> knobs.essDownUntil = Instant.parse(value);
            default -> throw new IllegalArgumentException("unknown sandbox knob " + name);
        }
    }

    /** The knobs by their JSON names, as GET /sandbox/knobs shows them. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latencyMs", latencyMs);
        m.put("latencyJitter", latencyJitter);
        m.put("throttleRate", throttleRate);
        m.put("unavailableRate", unavailableRate);
        m.put("serverErrorRate", serverErrorRate);
        m.put("throttleAbove", throttleAbove);
        m.put("retryAfterSeconds", retryAfterSeconds);
        m.put("retryAfterAsDate", retryAfterAsDate);
        m.put("modifiedRate", modifiedRate);
        m.put("editAfterReadRate", editAfterReadRate);
        m.put("editorIntervalMs", editorIntervalMs);
        m.put("outageUntil", outageUntil.toString());
        m.put("essDownUntil", essDownUntil.toString());
        return m;
    }

    /** One request's latency: latencyMs, moved by up to latencyJitter of it either way by {@code u} (uniform in [-1, 1)). */
    public long latencyFor(double u) {
        double j = latencyJitter;
        long base = latencyMs;
        return j <= 0 ? base : Math.max(0, Math.round(base * (1 + j * u)));
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** The answer with a Retry-After of retryAfterSeconds (as seconds, or as an HTTP-date); as it is when that is negative. */
    Reply withRetryAfter(Reply r, Instant now) {
        int s = retryAfterSeconds;
        if (s < 0) {
            return r;
        }
        String value = retryAfterAsDate ? HTTP_DATE.format(now.plusSeconds(s)) : String.valueOf(s);
        return r.withHeader("Retry-After", value);
    }
}
