package io.erpsync.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A misbehaving ERP on a real HTTP server (the JDK's), implementing docs/erp-contract.md.
 * ERP paths answer as the contract says; {@code /sandbox/...} paths turn the knobs at run time
 * and are not subject to auth, faults or latency.
 */
public final class SandboxErp implements AutoCloseable {

    public static final String VERSION_ROOT = "/fscmRestApi/resources/11.13.18.05";
    public static final String ESS_PATH = "/ess/rest/scheduler/v1/requests";
    static final String BATCH_TYPE = "application/vnd.oracle.adf.batch+json";
    static final int MAX_BATCH_PARTS = 500;

    /** Start-up settings; the knobs inside can be changed later. */
    public static final class Config {
        public String bindAddress = InetAddress.getLoopbackAddress().getHostAddress();
        public int port;
        public int items = 1000;
        public int bills = 20;
        public long seed = 42;
        public String username = "integration.user";
        public String password = "sandbox";
        public String token;
        public int threads = 64;
        /** Serve HTTPS with this context (a test's self-signed certificate); null for plain HTTP. */
        public javax.net.ssl.SSLContext tls;
        public final Knobs knobs = new Knobs();
    }

    static {
        // headers and body leave in separate writes; without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per request
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP = new com.fasterxml.jackson.core.type.TypeReference<>() { };
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Config config;
    private final Clock clock;
    private final Knobs knobs;
    private final SandboxStore store;
    private final RequestLog log = new RequestLog();
    private final Faults faults = new Faults();
    /** Jobs that start when the next ERP request arrives (a lock that meets a cycle's first request). */
    private final ConcurrentLinkedDeque<Map<String, Object>> armedJobs = new ConcurrentLinkedDeque<>();
    private HttpServer server;
    private ExecutorService executor;
    private Thread editor;
    private volatile boolean running;

    public SandboxErp(Config config) {
        this(config, Clock.systemUTC());
    }

    public SandboxErp(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.knobs = config.knobs;
        this.store = new SandboxStore(clock, knobs, ThreadLocalRandom::current);
        store.seed(config.items, config.bills, config.seed);
    }

    public SandboxErp start() throws IOException {
        if (config.tls != null) {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
                    new InetSocketAddress(config.bindAddress, config.port), 512);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(config.tls));
            server = https;
        } else {
            server = HttpServer.create(new InetSocketAddress(config.bindAddress, config.port), 512);
        }
        executor = Executors.newFixedThreadPool(config.threads, r -> {
            Thread t = new Thread(r, "sandbox-erp");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        running = true;
        editor = new Thread(this::editLoop, "sandbox-erp-editor");
        editor.setDaemon(true);
        editor.start();
        return this;
    }

    @Override
    public void close() {
        running = false;
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
        if (editor != null) {
            editor.interrupt();
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return (config.tls != null ? "https://" : "http://") + config.bindAddress + ":" + port();
    }

    public Knobs knobs() {
        return knobs;
    }

    public RequestLog requests() {
        return log;
    }

    // ---- Java API for tests, the demo and benchmarks ---------------------------------------

    /** The item as the ERP holds it now (with its changeIndicator link), or null. */
    public Map<String, Object> item(String itemNumber, String org) {
        SandboxStore.Versioned v = store.itemByNumber(itemNumber, org);
        return v == null ? null : store.render(v, false);
    }

    public Map<String, Object> item(long itemId) {
        SandboxStore.Versioned v = store.item(itemId);
        return v == null ? null : store.render(v, false);
    }

    public int itemCount() {
        return store.itemCount();
    }

    /** Another user edits a field we do not own. */
    public void editItem(String itemNumber, String org, String field, Object value) {
        SandboxStore.Versioned v = store.itemByNumber(itemNumber, org);
        if (v == null) {
            throw new IllegalArgumentException("no item " + itemNumber + " in " + org);
        }
        store.editByAnotherUser(v.id(), field, value);
    }

    /** A scheduled process that holds locks on the given items for {@code duration}, starting after {@code delay}. */
    public ScheduledJob startJob(String name, String submitter, Duration delay, Duration duration, Set<Long> itemIds) {
        Instant start = clock.instant().plus(delay);
        return store.startJob(name, submitter, start, start.plus(duration), itemIds);
    }

    /** Locks a seeded-random fraction of all items with a job of the given name. */
    public ScheduledJob startLockingJob(String name, String submitter, double fraction, Duration duration) {
        return startJob(name, submitter, Duration.ZERO, duration, store.sampleItems(fraction, config.seed + store.jobs().size()));
    }

    public Set<Long> itemIds(List<String> itemNumbers, String org) {
        Set<Long> ids = new HashSet<>();
        for (String n : itemNumbers) {
            SandboxStore.Versioned v = store.itemByNumber(n, org);
            if (v != null) {
                ids.add(v.id());
            }
        }
        return ids;
    }

    public List<ScheduledJob> jobs() {
        return store.jobs();
    }

    public void clearJobs() {
        store.clearJobs();
    }

    /** The next {@code count} ERP requests answer {@code status} (with Retry-After per the knobs). */
    public void failNext(int count, int status) {
        faults.add(new Faults.Fault(Faults.Kind.STATUS, status, 0, Faults.Match.ANY), count);
    }

    /** Scripted faults and holds (see {@link Faults}). */
    public Faults faults() {
        return faults;
    }

    /** A BOM component's fields now (contract 6), or null. */
    public Map<String, Object> component(long billId, long componentId) {
        SandboxStore.Versioned c = store.component(billId, componentId);
        return c == null ? null : new LinkedHashMap<>(c.fields());
    }

    /** The components of a bill, by ComponentSequenceId. */
    public List<Long> componentIds(long billId) {
        return store.components(billId).stream().map(SandboxStore.Versioned::id).toList();
    }

    /** The bills the sandbox seeded (BillSequenceId). */
    public List<Long> billIds() {
        return store.billIds();
    }

    /** Another user changes a component field in the ERP (its ETag and the bill's move). */
    public void editComponent(long billId, long componentId, String field, Object value, String user) {
        store.editComponentByAnotherUser(billId, componentId, field, value, user);
    }

    /**
     * A scheduled process locks a bill for {@code duration}: writes to its components answer 409
     * RECORD_LOCKED naming {@code owner} (with Retry-After per the knobs) until then; reads go on.
     */
    public void lockBill(long billId, Duration duration, String owner) {
        billLocks.put(billId, new BillLock(clock.instant().plus(duration), owner));
    }

    private record BillLock(Instant until, String owner) {
    }

    private final Map<Long, BillLock> billLocks = new java.util.concurrent.ConcurrentHashMap<>();

    /** Every change applied to BOM components, oldest first: ours and other users'. */
    public List<SandboxStore.ComponentChange> componentHistory() {
        return store.componentHistory();
    }

    /** Every change the ERP applied, oldest first: ours and other users'. */
    public List<SandboxStore.Change> history() {
        return store.history();
    }


    // ---- HTTP ----------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        Reply reply;
        int parts = 0;
        Instant receivedAt = clock.instant();
        java.util.Set<Long> touched = new java.util.HashSet<>();
        Map<Long, String> quantities = new LinkedHashMap<>();
        RequestLog.InFlight flight = log.begin(billOf(path));
        try (ex) {
            byte[] body = readAll(ex.getRequestBody());
            if (hasExponentNumber(body)) {
                log.exponentBody();
            }
            if (path.startsWith("/sandbox/")) {
                send(ex, admin(method, path, body));
                return;
            }
            for (Map<String, Object> armed; (armed = armedJobs.poll()) != null; ) {
                startJob(armed);
            }
            Faults.Fault fault = faults.take(method, path);
            if (!faults.pass(method, path) || (fault != null && fault.kind() == Faults.Kind.RESET_BEFORE)) {
                log.add(new RequestLog.Entry(receivedAt, clock.instant(), method, path, ex.getRequestURI().getRawQuery(), -1, 0,
                        java.util.Set.of(), Map.of()));
                flight.end();
                abort(ex);
                return;
            }
            if (fault != null && fault.kind() == Faults.Kind.HANG) {
                sleep(fault.amount());
            }
            if (fault != null && fault.kind() == Faults.Kind.STATUS) {
                reply = fault(fault.status());
            } else if (fault != null && fault.kind() == Faults.Kind.HTML && fault.status() != 200) {
                reply = Reply.html(fault.status());
            } else {
                reply = gate(ex, path);
            }
            if (reply == null) {
                Object parsed = null;
                try {
                    parsed = body.length == 0 ? null : JSON.readValue(body, Object.class);
                } catch (JsonProcessingException e) {
                    reply = Reply.error(400, "Bad Request", "The request body is not valid JSON: " + e.getOriginalMessage(), "INVALID_JSON");
                }
                if (reply == null) {
                    if (parsed instanceof Map<?, ?> m && m.get("parts") instanceof List<?> l) {
                        parts = l.size();
                        for (Object p : l) {
                            if (p instanceof Map<?, ?> part && part.get("path") != null) {
                                Long id = SandboxStore.itemIdFromPath(String.valueOf(part.get("path")));
                                if (id != null) {
                                    touched.add(id);
                                    quantity(part.get("payload")).ifPresent(q -> quantities.put(id, q));
                                }
                            }
                        }
                    }
                    Long single = SandboxStore.itemIdFromPath(path);
                    if (single != null && !method.equals("GET")) {
                        touched.add(single);
                        quantity(parsed).ifPresent(q -> quantities.put(single, q));
                    }
                    reply = route(ex, method, path, parsed);
                }
            }
            if (fault != null) {
                reply = Faults.mangle(fault, reply);
            }
            byte[] out = reply.body() == null ? new byte[0] : reply.body() instanceof byte[] raw ? raw : JSON.writeValueAsBytes(reply.body());
            if (fault != null && fault.kind() == Faults.Kind.TRUNCATED) {
                out = java.util.Arrays.copyOf(out, out.length / 2);
            }
            // the latency is the time to the answer: the work done here is part of it, the rest is waited
            long remaining = knobs.latencyMs - Duration.between(receivedAt, clock.instant()).toMillis();
            if (remaining > 0) {
                sleep(remaining);
            }
            boolean reset = fault != null && fault.kind() == Faults.Kind.RESET_AFTER;
            log.add(new RequestLog.Entry(receivedAt, clock.instant(), method, path, ex.getRequestURI().getRawQuery(),
                    reset ? -1 : reply.status(), parts, java.util.Set.copyOf(touched), java.util.Collections.unmodifiableMap(quantities)));
            // why: before the answer goes out, or the client's next request could arrive while this one still counts
            flight.end();
            if (reset) {
                abort(ex);
                return;
            }
            send(ex, reply, out);
        } catch (RuntimeException | IOException e) {
            flight.end();
            send(ex, Reply.error(500, "Internal Server Error", String.valueOf(e), "SANDBOX_BUG"));
        } finally {
            flight.end();
        }
    }

    /** Whether a JSON body writes a number in exponent form (1E+1); false for anything that is not JSON. */
    private static boolean hasExponentNumber(byte[] body) {
        if (body.length == 0) {
            return false;
        }
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(body)) {
            for (com.fasterxml.jackson.core.JsonToken t; (t = p.nextToken()) != null; ) {
                if (t.isNumeric() && p.getText().toLowerCase(java.util.Locale.ROOT).contains("e")) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The bill a request is for (itemStructures/{bill}/...), or null. */
    private static Long billOf(String path) {
        String prefix = VERSION_ROOT + "/itemStructures/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        int end = rest.indexOf('/');
        try {
            return Long.valueOf(end < 0 ? rest : rest.substring(0, end));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The connection ends in the middle of an answer that promised more: the client reads a broken response. */
    private static void abort(HttpExchange ex) {
        try {
            ex.sendResponseHeaders(200, 1 << 20);
            ex.getResponseBody().write('{');
            ex.getResponseBody().flush();
        } catch (IOException ignored) {
            // the client may be gone already
        } finally {
            try {
                ex.close();
            } catch (RuntimeException ignored) {
                // closing a stream that was promised more bytes reports it; the connection is closed either way
            }
        }
    }

    private static java.util.Optional<String> quantity(Object payload) {
        return payload instanceof Map<?, ?> m && m.containsKey("OnhandQuantity")
                ? java.util.Optional.of(String.valueOf(m.get("OnhandQuantity"))) : java.util.Optional.empty();
    }

    /** Auth, outage and fault knobs, before any resource logic. */
    private Reply gate(HttpExchange ex, String path) {
        if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
            return Reply.error(401, "Unauthorized", "Authentication failed: missing or invalid credentials.", "AUTH_FAILED")
                    .withHeader("WWW-Authenticate", "Basic realm=\"fusion\"");
        }
        Instant now = clock.instant();
        if (now.isBefore(knobs.outageUntil)) {
            return Reply.error(503, "Service Unavailable", "The service is down for maintenance.", "OUTAGE");
        }
        if (path.startsWith(ESS_PATH) && now.isBefore(knobs.essDownUntil)) {
            return Reply.error(503, "Service Unavailable", "The scheduler service is unavailable.", "ESS_DOWN");
        }
        Random r = ThreadLocalRandom.current();
        double x = r.nextDouble();
        if (x < knobs.throttleRate) {
            return fault(429);
        }
        x -= knobs.throttleRate;
        if (x < knobs.unavailableRate) {
            return fault(503);
        }
        x -= knobs.unavailableRate;
        if (x < knobs.serverErrorRate) {
            return fault(500);
        }
        return null;
    }

    private Reply fault(int status) {
        Reply r = switch (status) {
            case 429 -> Reply.error(429, "Too Many Requests", "Request rate limit exceeded.", "THROTTLED");
            case 503 -> Reply.error(503, "Service Unavailable", "The service is temporarily unavailable.", "UNAVAILABLE");
            case 401 -> Reply.error(401, "Unauthorized", "Authentication failed.", "AUTH_FAILED");
            // a record lock on whatever the request names (a BOM component: the sandbox's jobs lock items only)
            case 409 -> Reply.locked("the requested record", "FUSION_BATCH");
            default -> Reply.error(status, "Error " + status, "Injected fault " + status + ".", "INJECTED");
        };
        return status == 429 || status == 503 || status == 409 ? withRetryAfter(r) : r;
    }

    private Reply withRetryAfter(Reply r) {
        int s = knobs.retryAfterSeconds;
        if (s < 0) {
            return r;
        }
        String value = knobs.retryAfterAsDate ? HTTP_DATE.format(clock.instant().plusSeconds(s)) : String.valueOf(s);
        return r.withHeader("Retry-After", value);
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        if (config.token != null && header.equals("Bearer " + config.token)) {
            return true;
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (config.username + ":" + config.password).getBytes(StandardCharsets.UTF_8));
        return config.password != null && header.equals(expected);
    }

    private Reply route(HttpExchange ex, String method, String rawPath, Object body) {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (rawPath.equals(ESS_PATH) && method.equals("GET")) {
            return essRequests(query);
        }
        if (!rawPath.startsWith(VERSION_ROOT)) {
            return Reply.error(404, "Not Found", "No resource at " + rawPath, "NOT_FOUND");
        }
        String path = rawPath.substring(VERSION_ROOT.length());
        String[] seg = path.isEmpty() || path.equals("/") ? new String[0] : path.substring(1).split("/");
        if (seg.length == 0) {
            if (!method.equals("POST")) {
                return Reply.error(405, "Method Not Allowed", "Use POST for batch requests.", "METHOD");
            }
            if (contentType == null || !contentType.startsWith(BATCH_TYPE)) {
                return Reply.error(415, "Unsupported Media Type", "Batch requests need Content-Type " + BATCH_TYPE, "MEDIA_TYPE");
            }
            return batch(body);
        }
        try {
            if (seg[0].equals("items")) {
                return items(method, seg, query, contentType, ex.getRequestHeaders().getFirst("If-Match"), body);
            }
            if (seg[0].equals("itemStructures")) {
                return structures(method, seg, contentType, ex.getRequestHeaders().getFirst("If-Match"), body);
            }
        } catch (NumberFormatException e) {
            return Reply.error(404, "Not Found", "No resource at " + rawPath, "NOT_FOUND");
        }
        return Reply.error(404, "Not Found", "No resource at " + rawPath, "NOT_FOUND");
    }

    private Reply items(String method, String[] seg, Map<String, String> query, String contentType, String ifMatch, Object body) {
        if (seg.length == 1) {
            if (!method.equals("GET")) {
                return Reply.error(405, "Method Not Allowed", "Items are read with GET and changed one by one or in a batch.", "METHOD");
            }
            return collection(query);
        }
        if (seg.length != 2) {
            return Reply.error(404, "Not Found", "No such item resource.", "NOT_FOUND");
        }
        long id = Long.parseLong(seg[1]);
        switch (method) {
            case "GET" -> {
                SandboxStore.Versioned v = store.item(id);
                if (v == null) {
                    return Reply.error(404, "Not Found", "The requested resource items/" + id + " was not found.", "NOT_FOUND");
                }
                return store.itemReply(v, !"true".equals(query.get("onlyData")));
            }
            case "PATCH", "PUT" -> {
                if (contentType == null || !(contentType.startsWith("application/json")
                        || contentType.startsWith("application/vnd.oracle.adf.resourceitem+json"))) {
                    return Reply.error(415, "Unsupported Media Type", "Updates need Content-Type application/json.", "MEDIA_TYPE");
                }
                return method.equals("PATCH") ? store.patchItem(id, ifMatch, body) : store.replaceItem(id, body);
            }
            default -> {
                return Reply.error(405, "Method Not Allowed", method + " is not supported on an item.", "METHOD");
            }
        }
    }

    private Reply collection(Map<String, String> query) {
        Query q;
        try {
            q = Query.parse(query.get("q"), store.queryableFields());
        } catch (Query.Invalid e) {
            return Reply.error(400, "Bad Request", e.getMessage(), "INVALID_QUERY");
        }
        int limit = Math.min(500, Math.max(1, intParam(query, "limit", 25)));
        int offset = Math.max(0, intParam(query, "offset", 0));
        boolean onlyData = "true".equals(query.get("onlyData"));
        Set<String> fields = query.containsKey("fields") ? Set.of(query.get("fields").split(",")) : null;
        List<SandboxStore.Versioned> all = store.query(q);
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
            page.add(store.render(all.get(i), onlyData, fields));
            maybeEditAfterRead(all.get(i).id());
        }
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("items", page);
        env.put("count", page.size());
        env.put("hasMore", offset + page.size() < all.size());
        env.put("limit", limit);
        env.put("offset", offset);
        env.put("links", List.of(Map.of("rel", "self", "href", VERSION_ROOT + "/items", "name", "items", "kind", "collection")));
        return Reply.ok(env);
    }

    private Reply batch(Object body) {
        if (!(body instanceof Map<?, ?> m) || !(m.get("parts") instanceof List<?> parts)) {
            return Reply.error(400, "Bad Request", "A batch request needs a parts array.", "INVALID_BATCH");
        }
        if (parts.size() > MAX_BATCH_PARTS) {
            return Reply.error(413, "Request Entity Too Large", "A batch holds at most " + MAX_BATCH_PARTS + " parts; this one has " + parts.size() + ".", "BATCH_TOO_LARGE");
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (Object p : parts) {
            if (!(p instanceof Map<?, ?>)) {
                return Reply.error(400, "Bad Request", "Every batch part must be an object.", "INVALID_BATCH");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> part = (Map<String, Object>) p;
            list.add(part);
        }
        Reply r = store.batch(list);
        if (r.status() == 409 || (r.status() == 400 && String.valueOf(r.body()).contains("RECORD_LOCKED"))) {
            return withLockRetryAfter(r);
        }
        return r;
    }

    private Reply withLockRetryAfter(Reply r) {
        return knobs.retryAfterSeconds >= 0 ? withRetryAfter(r) : r;
    }

    private Reply structures(String method, String[] seg, String contentType, String ifMatch, Object body) {
        long billId = Long.parseLong(seg[1]);
        SandboxStore.Versioned s = store.structure(billId);
        if (s == null) {
            return Reply.error(404, "Not Found", "Structure " + billId + " was not found.", "NOT_FOUND");
        }
        if (seg.length == 2 && method.equals("GET")) {
            return Reply.ok(s.fields()).withHeader("ETag", Etags.quote(s.etag()));
        }
        if (seg.length == 4 && seg[2].equals("child") && seg[3].equals("Component") && method.equals("GET")) {
            List<Map<String, Object>> comps = new ArrayList<>();
            for (SandboxStore.Versioned c : store.components(billId)) {
                Map<String, Object> m = new LinkedHashMap<>(c.fields());
                m.put("links", List.of(Map.of("rel", "self", "name", "Component", "kind", "item",
                        "properties", Map.of("changeIndicator", c.etag()))));
                comps.add(m);
            }
            return Reply.ok(Map.of("items", comps, "count", comps.size(), "hasMore", false));
        }
        if (seg.length == 5 && seg[2].equals("child") && seg[3].equals("Component")) {
            long compId = Long.parseLong(seg[4]);
            if (method.equals("GET")) {
                SandboxStore.Versioned c = store.component(billId, compId);
                return c == null ? Reply.error(404, "Not Found", "Component " + compId + " was not found.", "NOT_FOUND")
                        : Reply.ok(c.fields()).withHeader("ETag", Etags.quote(c.etag()));
            }
            if (method.equals("PATCH")) {
                if (contentType == null || !contentType.startsWith("application/json")) {
                    return Reply.error(415, "Unsupported Media Type", "Updates need Content-Type application/json.", "MEDIA_TYPE");
                }
                BillLock lock = billLocks.get(billId);
                if (lock != null && clock.instant().isBefore(lock.until())) {
                    return withLockRetryAfter(Reply.locked("structure " + billId, lock.owner()));
                }
                return store.patchComponent(billId, compId, ifMatch, body);
            }
        }
        return Reply.error(404, "Not Found", "No such structure resource.", "NOT_FOUND");
    }

    /** ESS requests (contract 5): the server may ignore q, so this one does, like the contract allows. */
    private Reply essRequests(Map<String, String> query) {
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ScheduledJob j : store.jobs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            String state = j.stateAt(now);
            m.put("requestId", j.requestId());
            m.put("jobDefinitionName", j.name());
            m.put("state", state);
            m.put("submitter", j.submitter());
            m.put("processStartTime", state.equals("WAIT") ? null : j.start().toString());
            m.put("processEndTime", state.equals("SUCCEEDED") ? j.end().toString() : null);
            out.add(m);
        }
        int limit = Math.min(500, intParam(query, "limit", 25));
        List<Map<String, Object>> page = out.subList(Math.max(0, out.size() - limit), out.size());
        return Reply.ok(Map.of("items", page, "count", page.size(), "hasMore", out.size() > page.size()));
    }

    private void maybeEditAfterRead(long id) {
        if (knobs.editAfterReadRate > 0 && ThreadLocalRandom.current().nextDouble() < knobs.editAfterReadRate) {
            store.editByAnotherUser(id, "ItemDescription", "Edited by planner at " + store.now());
        }
    }

    private void editLoop() {
        Random r = new Random(config.seed);
        while (running) {
            long interval = knobs.editorIntervalMs;
            if (interval > 0 && config.items > 0) {
                long id = SandboxStore.FIRST_ITEM_ID + 1 + r.nextInt(config.items);
                store.editByAnotherUser(id, "ItemDescription", "Edited by planner at " + store.now());
            }
            if (!sleep(interval > 0 ? interval : 50)) {
                return;
            }
        }
    }

    // ---- admin ---------------------------------------------------------------------------

    private Reply admin(String method, String path, byte[] body) throws IOException {
        switch (method + " " + path) {
            case "GET /sandbox/knobs" -> {
                return Reply.ok(knobsAsMap());
            }
            case "PUT /sandbox/knobs", "POST /sandbox/knobs" -> {
                applyKnobs(JSON.readValue(body, Map.class));
                return Reply.ok(knobsAsMap());
            }
            case "GET /sandbox/jobs" -> {
                return Reply.ok(store.jobs().stream().map(SandboxErp::jobAsMap).toList());
            }
            case "POST /sandbox/jobs" -> {
                Map<String, Object> m = JSON.readValue(body, MAP);
                if (Boolean.TRUE.equals(m.get("startOnNextRequest"))) {
                    armedJobs.add(m);
                    return Reply.ok(Map.of("armed", armedJobs.size()));
                }
                return Reply.ok(jobAsMap(startJob(m)));
            }
            case "GET /sandbox/items" -> {
                return Reply.ok(store.quantities());
            }
            // for a history checker in another process: every item, every change applied, every write received
            case "GET /sandbox/items/all" -> {
                return Reply.ok(store.allItems());
            }
            case "GET /sandbox/history" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (SandboxStore.Change c : store.history()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("itemId", c.itemId());
                    m.put("itemNumber", c.itemNumber());
                    m.put("organizationCode", c.organizationCode());
                    m.put("field", c.field());
                    m.put("value", c.value());
                    m.put("by", c.by());
                    m.put("at", c.at().toString());
                    m.put("version", c.version());
                    out.add(m);
                }
                return Reply.ok(out);
            }
            case "GET /sandbox/writes" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (RequestLog.Entry e : log.entries()) {
                    if (e.isWrite()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("receivedAt", e.receivedAt().toString());
                        m.put("at", e.at().toString());
                        m.put("method", e.method());
                        m.put("path", e.path());
                        m.put("status", e.status());
                        m.put("parts", e.parts());
                        m.put("quantities", e.quantities());
                        out.add(m);
                    }
                }
                return Reply.ok(out);
            }
            case "POST /sandbox/faults" -> {
                Map<String, Object> m = JSON.readValue(body, MAP);
                Faults.Kind kind = Faults.Kind.valueOf(String.valueOf(m.getOrDefault("kind", "status")).toUpperCase(Locale.ROOT)
                        .replace('-', '_'));
                faults.add(new Faults.Fault(kind, ((Number) m.getOrDefault("status", 503)).intValue(),
                        ((Number) m.getOrDefault("amount", 0)).longValue(), Faults.Match.of((String) m.get("match"))),
                        ((Number) m.getOrDefault("count", 1)).intValue());
                return Reply.ok(Map.of("queued", faults.queued()));
            }
            case "POST /sandbox/hold" -> {
                Map<String, Object> m = JSON.readValue(body, MAP);
                faults.hold(Faults.Match.of((String) m.get("match")), ((Number) m.getOrDefault("count", 1)).intValue());
                return Reply.ok(Map.of("holding", true));
            }
            case "POST /sandbox/release" -> {
                Map<String, Object> m = body.length == 0 ? Map.of() : JSON.readValue(body, MAP);
                faults.release(Boolean.TRUE.equals(m.get("drop")));
                return Reply.ok(Map.of("released", true));
            }
            case "GET /sandbox/held" -> {
                return Reply.ok(Map.of("held", faults.held()));
            }
            case "GET /sandbox/requests" -> {
                List<RequestLog.Entry> all = log.entries();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("count", all.size());
                m.put("writes", all.stream().filter(RequestLog.Entry::isWrite).count());
                m.put("first", all.isEmpty() ? null : all.get(0).receivedAt().toString());
                m.put("last", all.isEmpty() ? null : all.get(all.size() - 1).at().toString());
                // requests in flight on average over the span: how busy the client kept this ERP
                long busy = all.stream().mapToLong(e -> Duration.between(e.receivedAt(), e.at()).toMillis()).sum();
                long span = all.isEmpty() ? 0 : Duration.between(all.get(0).receivedAt(), all.get(all.size() - 1).at()).toMillis();
                m.put("busyMs", busy);
                m.put("spanMs", span);
                return Reply.ok(m);
            }
            case "DELETE /sandbox/requests" -> {
                log.clear();
                return Reply.ok(Map.of("count", 0));
            }
            default -> {
                return Reply.error(404, "Not Found", "Admin paths: /sandbox/knobs, /sandbox/jobs, /sandbox/faults, /sandbox/hold, "
                        + "/sandbox/release, /sandbox/held, /sandbox/requests, /sandbox/items, /sandbox/items/all, /sandbox/history, /sandbox/writes", "NOT_FOUND");
            }
        }
    }

    /** A job from its admin JSON: name, submitter, durationMs, startInMs, lockFraction (of all items). */
    private ScheduledJob startJob(Map<String, Object> m) {
        String name = String.valueOf(m.getOrDefault("name", "Process Inventory Transactions"));
        String submitter = String.valueOf(m.getOrDefault("submitter", "FUSION_BATCH"));
        Duration duration = Duration.ofMillis(((Number) m.getOrDefault("durationMs", 60_000)).longValue());
        Duration delay = Duration.ofMillis(((Number) m.getOrDefault("startInMs", 0)).longValue());
        double fraction = ((Number) m.getOrDefault("lockFraction", 0.1)).doubleValue();
        Set<Long> ids = store.sampleItems(fraction, config.seed + store.jobs().size());
        return startJob(name, submitter, delay, duration, ids);
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

    private Map<String, Object> knobsAsMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latencyMs", knobs.latencyMs);
        m.put("throttleRate", knobs.throttleRate);
        m.put("unavailableRate", knobs.unavailableRate);
        m.put("serverErrorRate", knobs.serverErrorRate);
        m.put("retryAfterSeconds", knobs.retryAfterSeconds);
        m.put("retryAfterAsDate", knobs.retryAfterAsDate);
        m.put("modifiedRate", knobs.modifiedRate);
        m.put("editAfterReadRate", knobs.editAfterReadRate);
        m.put("editorIntervalMs", knobs.editorIntervalMs);
        m.put("outageUntil", knobs.outageUntil.toString());
        m.put("essDownUntil", knobs.essDownUntil.toString());
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

    // ---- plumbing ------------------------------------------------------------------------

    private static void send(HttpExchange ex, Reply r) throws IOException {
        send(ex, r, r.body() == null ? new byte[0] : r.body() instanceof byte[] raw ? raw : JSON.writeValueAsBytes(r.body()));
    }

    private static void send(HttpExchange ex, Reply r, byte[] out) throws IOException {
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static int intParam(Map<String, String> q, String name, int dflt) {
        try {
            return q.containsKey(name) ? Integer.parseInt(q.get(name)) : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static boolean sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
