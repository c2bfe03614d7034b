package io.erpsync.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.conflict.AdaptiveRate;
import io.erpsync.core.FailureClass;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.ReplayFilter;
import io.erpsync.store.StoreException;
import io.erpsync.store.SyncRuns;
import io.erpsync.sync.AdaptiveBatchSizes;
import io.erpsync.sync.Replays;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The status page on the management port: /status/ (HTML, CSS and JavaScript from the jar, no build
 * chain) and the JSON it reads under /status/api/. Everything it shows comes from the same beans as
 * the SyncService MBean and the report; its replay calls {@link SyncService#replayExceptions}, as JMX does,
 * one replay at a time (a second one waits for the first instead of being skipped as an overlap).
 */
public final class StatusPage {
    public static final String PATH = "/status";
    /** A header a cross-site form cannot send: a replay needs it, so another site cannot make a logged-in browser replay. */
    public static final String REPLAY_HEADER = "X-Erp-Sync-Action";
    static final String NEEDS_AUTH = "replay from the status page needs management authentication: set "
            + "camel.management.authentication-enabled=true and camel.management.basic-properties-file, with "
            + "camel.management.authentication-path, if set, covering /status/* (README: Status page)";
    static final String NEEDS_OPERATOR = "replay needs the operator role: %s is a viewer (README: Managing it from Hawtio)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CYCLES = 30;
    private static final int MAX_ROWS = 1000;
    /** How long a replay pressed during a cycle waits for it to end. */
    private static final Duration REPLAY_WAIT = Duration.ofMinutes(5);

    private final SyncService service;
    private final SyncRuns runs;
    private final ExceptionQueue queue;
    private final LockReport report;
    private final Duration reportWindow;
    private final Clock clock;
    private final Executor replays;
    private final ManagementActions actions;
    // bytes, not Vert.x buffers: a buffer loads Netty's, some 180 classes a --once (no page) would load for nothing
    private final Map<String, byte[]> assets = new LinkedHashMap<>();
    private final AdaptiveRate erpRate;
    private final AdaptiveBatchSizes batchSizes;
    private volatile List<TargetView> targets = List.of();

    public StatusPage(SyncService service, SyncRuns runs, ExceptionQueue queue, LockReport report, Duration reportWindow, Clock clock,
                      Executor replays, ManagementActions actions, AdaptiveRate erpRate, AdaptiveBatchSizes batchSizes) {
        this.service = service;
        this.erpRate = erpRate;
        this.batchSizes = batchSizes;
        this.runs = runs;
        this.queue = queue;
        this.report = report;
        this.reportWindow = reportWindow;
        this.clock = clock;
        this.replays = replays;
        this.actions = actions;
        for (String name : List.of("index.html", "status.css", "status.js")) {
            assets.put(name, asset(name));
        }
    }

    /** The configured targets, each with a section of its own on the page when there are several. */
    public void targets(List<TargetView> views) {
        this.targets = List.copyOf(views);
    }

    /** Adds the page's routes to the management server's router (behind its authentication, when configured). */
    public void mount(Router router, ManagementRoles roles) {
        router.route(PATH + "/api/*").handler(roles::resolve);
        // Vert.x matches /status and /status/ alike; the page's relative links need the slash
        router.get(PATH).handler(c -> {
            if (c.request().path().endsWith("/")) {
                send(c, "index.html", "text/html; charset=utf-8");
            } else {
                c.response().setStatusCode(302).putHeader("Location", PATH + "/").end();
            }
        });
        router.get(PATH + "/status.css").handler(c -> send(c, "status.css", "text/css; charset=utf-8"));
        router.get(PATH + "/status.js").handler(c -> send(c, "status.js", "text/javascript; charset=utf-8"));
        router.get(PATH + "/api/overview").blockingHandler(storeAnswers(c -> json(c, 200, overview(user(c), ManagementRoles.of(c)))), false);
        router.get(PATH + "/api/exceptions").blockingHandler(storeAnswers(this::exceptions), false);
        router.post(PATH + "/api/replay").handler(this::replay);
    }

    /** A store that does not answer is a 503 naming it, which the page shows, not a bare 500. */
    private static Handler<RoutingContext> storeAnswers(Handler<RoutingContext> h) {
        return c -> {
            try {
                h.handle(c);
            } catch (StoreException e) {
                json(c, 503, Map.of("error", e.getMessage()));
            }
        };
    }

    Map<String, Object> overview(String user, ManagementRoles.Role role) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", clock.instant().toString());
        List<Map<String, Object>> cycles = new ArrayList<>();
        for (SyncRuns.Run r : runs.history(CYCLES)) {
            Map<String, Object> c = new LinkedHashMap<>(r.summary().asMap());
            c.put("trigger", r.trigger());
            c.put("node", r.node());
            c.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
            cycles.add(0, c);
        }
        m.put("cycles", cycles);
        m.put("nextFire", service.getNextFireTime());
        m.put("schedulePaused", service.isSchedulePaused());
        m.put("breaker", service.getBreakerState());
        m.put("gate", service.getGateState());
        m.put("conflictRateLastCycle", service.getConflictRateLastCycle());
        m.put("conflictRate24h", service.getConflictRate24h());
        m.put("openByClass", queue.openByClass());
        m.put("hotItems", service.getHotItems());
        m.put("failureClasses", FailureClass.values());
        m.put("report", report.since(clock.instant().minus(reportWindow)));
        m.put("bom", bom());
        // what the ERP's pushback has made of the rate and of each segment's write size (erp.rate.*, sync.batch.adaptive)
        m.put("pressure", Map.of("erpRate", erpRate.current(), "erpRateDecreases", erpRate.decreases(), "batchSizes", batchSizes.sizes()));
        m.put("replay", replayRight(user, role));
        if (targets.size() > 1) {
            m.put("targets", targets.stream().map(StatusPage::target).toList());
        }
        return m;
    }

    /** A target's section: its last cycles, breaker, open exception rows and request rate in force. */
    private static Map<String, Object> target(TargetView t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        List<Map<String, Object>> cycles = new ArrayList<>();
        for (SyncRuns.Run r : t.runs().history(CYCLES)) {
            Map<String, Object> c = new LinkedHashMap<>(r.summary().asMap());
            c.put("trigger", r.trigger());
            c.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
            cycles.add(0, c);
        }
        m.put("cycles", cycles);
        m.put("breaker", t.breakerState().get());
        m.put("openByClass", t.queue().openByClass());
        m.put("rate", t.rate() == null ? null : t.rate().current());
        m.put("rateDecreases", t.rate() == null ? null : t.rate().decreases());
        return m;
    }

    /** The exception rows of the target the request names (param target), the first target's without one. */
    private ExceptionQueue queueOf(String target) {
        if (target == null) {
            return queue;
        }
        for (TargetView t : targets) {
            if (t.name().equals(target)) {
                return t.queue();
            }
        }
        throw new IllegalArgumentException("no target " + target);
    }

    /** The bills-of-materials side: its last run and the bills held for a change order (README: Bills of materials). */
    private Map<String, Object> bom() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<SyncRuns.Run> latest = runs.bomHistory(1);
        if (!latest.isEmpty()) {
            Map<String, Object> last = new LinkedHashMap<>(latest.get(0).summary().asMap());
            last.put("startedAt", latest.get(0).startedAt() == null ? null : latest.get(0).startedAt().toString());
            m.put("last", last);
        }
        m.put("held", List.of(service.getHeldBills()));
        return m;
    }

    private static Map<String, Object> replayRight(String user, ManagementRoles.Role role) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowed", refusal(user, role) == null);
        m.put("user", user);
        m.put("why", refusal(user, role) == null ? "signed in as " + user : refusal(user, role));
        return m;
    }

    /** Why this user may not replay, or null: replay needs a signed-in operator. */
    private static String refusal(String user, ManagementRoles.Role role) {
        if (user == null) {
            return NEEDS_AUTH;
        }
        return role == ManagementRoles.Role.OPERATOR ? null : String.format(NEEDS_OPERATOR, user);
    }

    private void exceptions(RoutingContext c) {
        String status = c.request().getParam("status", "OPEN").trim().toUpperCase(Locale.ROOT);
        String item = blankToNull(c.request().getParam("item"));
        String fc = blankToNull(c.request().getParam("class"));
        String target = blankToNull(c.request().getParam("target"));
        int limit;
        ExceptionQueue rowsOf;
        try {
            rowsOf = queueOf(target);
            limit = Math.min(MAX_ROWS, Math.max(1, Integer.parseInt(c.request().getParam("limit", "200"))));
            if (fc != null) {
                fc = FailureClass.valueOf(fc.toUpperCase(Locale.ROOT)).name();
            }
        } catch (IllegalArgumentException e) {
            json(c, 400, Map.of("error", "limit must be a number, class one of " + List.of(FailureClass.values())
                    + " and target one of " + targets.stream().map(TargetView::name).toList()));
            return;
        }
        List<Map<String, Object>> rows = rowsOf.newest(status.equals("ANY") ? null : status, new ReplayFilter(null, item, fc), limit)
                .stream().map(StatusPage::row).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", rows);
        out.put("limit", limit);
        json(c, 200, out);
    }

    private static Map<String, Object> row(ExceptionRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("kind", r.kind());
        m.put("item", r.itemNumber());
        m.put("organization", r.organizationCode());
        m.put("segment", r.segment());
        m.put("wantedQuantity", r.wantedQuantity());
        m.put("failureClass", r.failureClass());
        m.put("reason", r.reason());
        m.put("httpStatus", r.httpStatus());
        m.put("erpMessage", r.erpMessage());
        m.put("lockOwner", r.lockOwner());
        m.put("attempts", r.attempts());
        m.put("firstFailureAt", r.firstFailureAt() == null ? null : r.firstFailureAt().toString());
        m.put("lastFailureAt", r.lastFailureAt() == null ? null : r.lastFailureAt().toString());
        m.put("status", r.status());
        if (r.isBom()) {
            m.put("change", r.changeId());
            m.put("bill", r.billId());
            m.put("component", r.componentId());
        }
        return m;
    }

    /**
     * POST /status/api/replay?filter=id=42 (or item=..., class=..., all). Refused unless the request
     * was authenticated by the management server and carries {@link #REPLAY_HEADER}.
     */
    private void replay(RoutingContext c) {
        String user = user(c);
        String filter = c.request().getParam("filter", "all");
        String refusal = refusal(user, ManagementRoles.of(c));
        if (refusal == null && c.request().getHeader(REPLAY_HEADER) == null) {
            refusal = "a replay request must carry the " + REPLAY_HEADER + " header (the status page sends it)";
        }
        if (refusal != null) {
            actions.record(ManagementActions.Outcome.REFUSED, ManagementActions.Via.STATUS_PAGE, user, "replayExceptions(" + filter + ")",
                    SyncService.OBJECT_NAME, "replayExceptions", refusal);
            json(c, 403, Map.of("error", refusal));
            return;
        }
        try {
            // a target=name term names whose exception rows are replayed (Replays.splitTarget)
            ReplayFilter.parse(Replays.splitTarget(filter)[1]);
        } catch (IllegalArgumentException e) {
            json(c, 400, Map.of("error", e.getMessage()));
            return;
        }
        actions.record(ManagementActions.Outcome.DONE, ManagementActions.Via.STATUS_PAGE, user, "replayExceptions(" + filter + ")",
                SyncService.OBJECT_NAME, "replayExceptions", "");
        // a replay can take minutes (lock rounds): it runs on its own thread, not on a Vert.x worker
        CompletableFuture.supplyAsync(() -> replayWhenIdle(filter), replays).whenComplete((summary, failure) ->
                c.vertx().runOnContext(v -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                        actions.record(ManagementActions.Outcome.FAILED, ManagementActions.Via.STATUS_PAGE, user,
                                "replayExceptions(" + filter + ")", SyncService.OBJECT_NAME, "replayExceptions", String.valueOf(cause.getMessage()));
                        json(c, 500, Map.of("error", "replay of '" + filter + "' failed: " + cause.getMessage()));
                        return;
                    }
                    try {
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("filter", filter);
                        out.put("by", user);
                        out.put("summary", JSON.readValue(summary, Map.class));
                        json(c, 200, out);
                    } catch (JsonProcessingException e) {
                        c.fail(e);
                    }
                }));
    }

    private String replayWhenIdle(String filter) {
        try {
            return service.replayWhenIdle(filter, REPLAY_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private static String user(RoutingContext c) {
        return ManagementRoles.user(c);
    }

    private void send(RoutingContext c, String name, String type) {
        secure(c).putHeader("Content-Type", type).end(Buffer.buffer(assets.get(name)));
    }

    private static void json(RoutingContext c, int status, Object body) {
        try {
            secure(c).setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                    .end(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            c.fail(e);
        }
    }

    /** Only the page's own files may run or be framed: an ERP message in the table can never become script. */
    private static HttpServerResponse secure(RoutingContext c) {
        return c.response().putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static byte[] asset(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream("/status/" + name)) {
            if (in == null) {
                throw new IllegalStateException("status page file status/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
