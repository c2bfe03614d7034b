package io.erpsync.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The sandbox's own paths ({@code /sandbox/...}, not subject to auth, faults or latency): the knobs,
 * jobs started now or on the next ERP request, scripted faults and holds, and what the ERP holds and
 * received, for a test or a checker in another process.
 */
final class SandboxAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final SandboxItems items;
    private final SandboxJobs jobs;
    private final Faults faults;
    private final RequestLog log;
    private final Knobs knobs;
    private final Clock clock;
    private final long seed;
    /** Jobs that start when the next ERP request arrives (a lock that meets a cycle's first request). */
    private final ConcurrentLinkedDeque<Map<String, Object>> armedJobs = new ConcurrentLinkedDeque<>();

    SandboxAdmin(SandboxItems items, SandboxJobs jobs, Faults faults, RequestLog log, Knobs knobs, Clock clock, long seed) {
        this.items = items;
        this.jobs = jobs;
        this.faults = faults;
        this.log = log;
        this.knobs = knobs;
        this.clock = clock;
        this.seed = seed;
    }

    /** An ERP request arrived: the jobs armed for it start now. */
    void startArmedJobs() {
        for (Map<String, Object> armed; (armed = armedJobs.poll()) != null; ) {
            startJob(armed);
        }
    }

    /** The answer to a {@code /sandbox/...} request. */
    Reply answer(String method, String path, byte[] body) throws IOException {
        return switch (method + " " + path) {
            case "GET /sandbox/knobs" -> Reply.ok(knobs.asMap());
            case "PUT /sandbox/knobs", "POST /sandbox/knobs" -> {
                applyKnobs(JSON.readValue(body, Map.class));
                yield Reply.ok(knobs.asMap());
            }
            case "GET /sandbox/jobs" -> Reply.ok(jobs.jobs().stream().map(SandboxAdmin::jobAsMap).toList());
            case "POST /sandbox/jobs" -> jobRequest(JSON.readValue(body, MAP));
            case "GET /sandbox/items" -> Reply.ok(items.quantities());
            // for a history checker in another process: every item, every change applied, every write received
            case "GET /sandbox/items/all" -> Reply.ok(items.allItems());
            case "GET /sandbox/history" -> Reply.ok(items.history().stream().map(SandboxAdmin::changeAsMap).toList());
            case "GET /sandbox/writes" -> Reply.ok(log.entries().stream().filter(RequestLog.Entry::isWrite).map(SandboxAdmin::writeAsMap)
                    .toList());
            case "POST /sandbox/faults" -> faultRequest(JSON.readValue(body, MAP));
            case "POST /sandbox/hold" -> {
                Map<String, Object> m = JSON.readValue(body, MAP);
                faults.hold(Faults.Match.of((String) m.get("match")), ((Number) m.getOrDefault("count", 1)).intValue());
                yield Reply.ok(Map.of("holding", true));
            }
            case "POST /sandbox/release" -> {
                Map<String, Object> m = body.length == 0 ? Map.of() : JSON.readValue(body, MAP);
                faults.release(Boolean.TRUE.equals(m.get("drop")));
                yield Reply.ok(Map.of("released", true));
            }
            case "GET /sandbox/held" -> Reply.ok(Map.of("held", faults.held()));
            case "GET /sandbox/requests" -> Reply.ok(requestsSummary(log.entries()));
            case "DELETE /sandbox/requests" -> {
                log.clear();
                yield Reply.ok(Map.of("count", 0));
            }
            default -> Reply.error(404, "Not Found", "Admin paths: /sandbox/knobs, /sandbox/jobs, /sandbox/faults, /sandbox/hold, "
                    + "/sandbox/release, /sandbox/held, /sandbox/requests, /sandbox/items, /sandbox/items/all, /sandbox/history, /sandbox/writes",
                    "NOT_FOUND");
        };
    }

    /** A job started now, or armed to start on the next ERP request (startOnNextRequest). */
    private Reply jobRequest(Map<String, Object> m) {
        if (Boolean.TRUE.equals(m.get("startOnNextRequest"))) {
            armedJobs.add(m);
            return Reply.ok(Map.of("armed", armedJobs.size()));
        }
        return Reply.ok(jobAsMap(startJob(m)));
    }

    /** A scripted fault from its admin JSON: kind, status, amount, match, count. */
    private Reply faultRequest(Map<String, Object> m) {
        Faults.Kind kind = Faults.Kind.valueOf(String.valueOf(m.getOrDefault("kind", "status")).toUpperCase(Locale.ROOT)
                .replace('-', '_'));
        faults.add(new Faults.Fault(kind, ((Number) m.getOrDefault("status", 503)).intValue(),
                ((Number) m.getOrDefault("amount", 0)).longValue(), Faults.Match.of((String) m.get("match"))),
                ((Number) m.getOrDefault("count", 1)).intValue());
        return Reply.ok(Map.of("queued", faults.queued()));
    }

    private static Map<String, Object> changeAsMap(SandboxItems.Change c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("itemId", c.itemId());
        m.put("itemNumber", c.itemNumber());
        m.put("organizationCode", c.organizationCode());
        m.put("field", c.field());
        m.put("value", c.value());
        m.put("by", c.by());
        m.put("at", c.at().toString());
        m.put("version", c.version());
        return m;
    }

    private static Map<String, Object> writeAsMap(RequestLog.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receivedAt", e.receivedAt().toString());
        m.put("at", e.at().toString());
        m.put("method", e.method());
        m.put("path", e.path());
        m.put("status", e.status());
        m.put("parts", e.parts());
        m.put("quantities", e.quantities());
        return m;
    }

    /** How many requests, writes among them, over which span, and how busy the client kept this ERP. */
    private static Map<String, Object> requestsSummary(List<RequestLog.Entry> all) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", all.size());
        m.put("writes", all.stream().filter(RequestLog.Entry::isWrite).count());
        m.put("first", all.isEmpty() ? null : all.get(0).receivedAt().toString());
        m.put("last", all.isEmpty() ? null : all.get(all.size() - 1).at().toString());
        // the first request about items (not the job gate's question to the scheduled-process service)
        m.put("firstItem", all.stream().filter(e -> !e.path().startsWith(SandboxErp.ESS_PATH)).findFirst()
                .map(e -> e.receivedAt().toString()).orElse(null));
        // requests in flight on average over the span: how busy the client kept this ERP
        long busy = all.stream().mapToLong(e -> Duration.between(e.receivedAt(), e.at()).toMillis()).sum();
        long span = all.isEmpty() ? 0 : Duration.between(all.get(0).receivedAt(), all.get(all.size() - 1).at()).toMillis();
        m.put("busyMs", busy);
        m.put("spanMs", span);
        return m;
    }

    /** A job from its admin JSON: name, submitter, durationMs, startInMs, lockFraction (of all items). */
    private ScheduledJob startJob(Map<String, Object> m) {
        String name = String.valueOf(m.getOrDefault("name", "Process Inventory Transactions"));
        String submitter = String.valueOf(m.getOrDefault("submitter", "FUSION_BATCH"));
        Duration duration = Duration.ofMillis(((Number) m.getOrDefault("durationMs", 60_000)).longValue());
        Duration delay = Duration.ofMillis(((Number) m.getOrDefault("startInMs", 0)).longValue());
        double fraction = ((Number) m.getOrDefault("lockFraction", 0.1)).doubleValue();
        Set<Long> ids = items.sampleItems(fraction, seed + jobs.jobs().size());
        return jobs.startJob(name, submitter, delay, duration, ids);
    }

    private static Map<String, Object> jobAsMap(ScheduledJob j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", j.requestId());
        m.put("name", j.name());
        m.put("submitter", j.submitter());
        m.put("start", j.start().toString());
        m.put("end", j.end().toString());
        m.put("lockedItemIds", j.lockedItemIds());
        return m;
    }

    /** Applies knob settings given by name; also used for sandbox.* start-up settings. */
    public void applyKnobs(Map<?, ?> m) {
        m.forEach((k, v) -> applyKnob(String.valueOf(k), String.valueOf(v)));
    }

    void applyKnob(String name, String value) {
        if (name.equals("outageSeconds") || name.equals("outage-seconds")) {
            knobs.outageUntil = clock.instant().plusSeconds(Long.parseLong(value));
        } else if (name.equals("essDownSeconds") || name.equals("ess-down-seconds")) {
            knobs.essDownUntil = clock.instant().plusSeconds(Long.parseLong(value));
        } else {
            Knobs.apply(knobs, name, value);
        }
    }
}
