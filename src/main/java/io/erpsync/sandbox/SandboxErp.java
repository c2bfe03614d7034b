package io.erpsync.sandbox;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A misbehaving ERP on a real HTTP server (the JDK's), implementing docs/erp-contract.md.
 * This class is the server: auth, outages, scripted faults and latency before an ERP path answers
 * as the contract says ({@link SandboxResources}, over {@link SandboxItems}, {@link SandboxStructures}
 * and the jobs that lock them, {@link SandboxJobs}), and the Java API tests and the demo use.
 * {@code /sandbox/...} paths ({@link SandboxAdmin}) turn the knobs at run time and are not subject
 * to auth, faults or latency.
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
        /** Item categories the items are spread over (sandbox.categories): two organizations x this many segments. */
        public int categories = 5;
        public long seed = 42;
        public String username = "integration.user";
        public String password = "sandbox";
        public String token;
        public int threads = 64;
        /** Serve HTTPS with this context (a test's self-signed certificate); null for plain HTTP. */
        public SSLContext tls;
        public final Knobs knobs = new Knobs();
    }

    static {
        // headers and body leave in separate writes; without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per request
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Config config;
    private final Clock clock;
    private final Knobs knobs;
    private final SandboxJobs jobs;
    private final SandboxItems items;
    private final SandboxStructures structures;
    private final RequestLog log = new RequestLog();
    private final Faults faults = new Faults();
    private final SandboxResources resources;
    private final SandboxAdmin admin;
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
        this.jobs = new SandboxJobs(clock);
        this.items = new SandboxItems(clock, knobs, ThreadLocalRandom::current, jobs);
        this.structures = new SandboxStructures(clock, knobs, ThreadLocalRandom::current);
        // one random for both, items first: the same seed gives the same items and bills as ever
        Random seeded = new Random(config.seed);
        items.seed(config.items, config.categories, seeded);
        structures.seed(config.bills, config.items, seeded);
        this.resources = new SandboxResources(items, structures, jobs, knobs, clock);
        this.admin = new SandboxAdmin(items, jobs, faults, log, knobs, clock, config.seed);
    }

    public SandboxErp start() throws IOException {
        if (config.tls != null) {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(config.bindAddress, config.port), 512);
            https.setHttpsConfigurator(new HttpsConfigurator(config.tls));
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
        Versioned v = items.itemByNumber(itemNumber, org);
        return v == null ? null : items.render(v, false);
    }

    public Map<String, Object> item(long itemId) {
        Versioned v = items.item(itemId);
        return v == null ? null : items.render(v, false);
    }

    public int itemCount() {
        return items.itemCount();
    }

    /** Another user edits a field we do not own. */
    public void editItem(String itemNumber, String org, String field, Object value) {
        Versioned v = items.itemByNumber(itemNumber, org);
        if (v == null) {
            throw new IllegalArgumentException("no item " + itemNumber + " in " + org);
        }
        items.editByAnotherUser(v.id(), field, value);
    }

    /** A scheduled process that holds locks on the given items for {@code duration}, starting after {@code delay}. */
    public ScheduledJob startJob(String name, String submitter, Duration delay, Duration duration, Set<Long> itemIds) {
        return jobs.startJob(name, submitter, delay, duration, itemIds);
    }

    /** Locks a seeded-random fraction of all items with a job of the given name. */
    public ScheduledJob startLockingJob(String name, String submitter, double fraction, Duration duration) {
        return startJob(name, submitter, Duration.ZERO, duration, items.sampleItems(fraction, config.seed + jobs.jobs().size()));
    }

    public Set<Long> itemIds(List<String> itemNumbers, String org) {
        Set<Long> ids = new HashSet<>();
        for (String n : itemNumbers) {
            Versioned v = items.itemByNumber(n, org);
            if (v != null) {
                ids.add(v.id());
            }
        }
        return ids;
    }

    public List<ScheduledJob> jobs() {
        return jobs.jobs();
    }

    public void clearJobs() {
        jobs.clearJobs();
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
        Versioned c = structures.component(billId, componentId);
        return c == null ? null : new LinkedHashMap<>(c.fields());
    }

    /** Adds {@code n} components to a seeded bill (ids after its last), naming the items {@code itemNumbers} gives; their ids. */
    public List<Long> addComponents(long billId, int n, java.util.function.IntFunction<String> itemNumbers) {
        return structures.addComponents(billId, n, itemNumbers);
    }

    /** The components of a bill, by ComponentSequenceId. */
    public List<Long> componentIds(long billId) {
        return structures.components(billId).stream().map(Versioned::id).toList();
    }

    /** The bills the sandbox seeded (BillSequenceId). */
    public List<Long> billIds() {
        return structures.billIds();
    }

    /** Another user changes a component field in the ERP (its ETag and the bill's move). */
    public void editComponent(long billId, long componentId, String field, Object value, String user) {
        structures.editComponentByAnotherUser(billId, componentId, field, value, user);
    }

    /**
     * A scheduled process locks a bill for {@code duration}: writes to its components answer 409
     * RECORD_LOCKED naming {@code owner} (with Retry-After per the knobs) until then; reads go on.
     */
    public void lockBill(long billId, Duration duration, String owner) {
        jobs.lockBill(billId, clock.instant().plus(duration), owner);
    }

    /** Every change applied to BOM components, oldest first: ours and other users'. */
    public List<SandboxStructures.ComponentChange> componentHistory() {
        return structures.componentHistory();
    }

    /** Every change the ERP applied, oldest first: ours and other users'. */
    public List<SandboxItems.Change> history() {
        return items.history();
    }


    // ---- HTTP ----------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        Reply reply;
        int parts = 0;
        Instant receivedAt = clock.instant();
        Set<Long> touched = new HashSet<>();
        Map<Long, String> quantities = new LinkedHashMap<>();
        RequestLog.InFlight flight = log.begin(billOf(path));
        try (ex) {
            byte[] body = readAll(ex.getRequestBody());
            if (hasExponentNumber(body)) {
                log.exponentBody();
            }
            if (path.startsWith("/sandbox/")) {
                send(ex, admin.answer(method, path, body));
                return;
            }
            admin.startArmedJobs();
            Faults.Fault fault = faults.take(method, path);
            if (!faults.pass(method, path) || (fault != null && fault.kind() == Faults.Kind.RESET_BEFORE)) {
                log.add(new RequestLog.Entry(receivedAt, clock.instant(), method, path, ex.getRequestURI().getRawQuery(), -1, 0,
                        Set.of(), Map.of()));
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
                    parts = writtenItems(method, path, parsed, touched, quantities);
                    reply = resources.answer(ex, method, path, parsed);
                }
            }
            if (fault != null) {
                reply = Faults.mangle(fault, reply);
            }
            byte[] out = reply.body() == null ? new byte[0] : reply.body() instanceof byte[] raw ? raw : JSON.writeValueAsBytes(reply.body());
            if (fault != null && fault.kind() == Faults.Kind.TRUNCATED) {
                out = Arrays.copyOf(out, out.length / 2);
            }
            // the latency is the time to the answer: the work done here is part of it, the rest is waited
            long remaining = knobs.latencyFor(ThreadLocalRandom.current().nextDouble(-1, 1)) - Duration.between(receivedAt, clock.instant()).toMillis();
            if (remaining > 0) {
                sleep(remaining);
            }
            boolean reset = fault != null && fault.kind() == Faults.Kind.RESET_AFTER;
            log.add(new RequestLog.Entry(receivedAt, clock.instant(), method, path, ex.getRequestURI().getRawQuery(),
                    reset ? -1 : reply.status(), parts, Set.copyOf(touched), Collections.unmodifiableMap(quantities)));
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

    /** Notes the items a request writes and the quantities it sends them (for the request log); returns its number of batch parts. */
    private static int writtenItems(String method, String path, Object parsed, Set<Long> touched, Map<Long, String> quantities) {
        int parts = 0;
        if (parsed instanceof Map<?, ?> m && m.get("parts") instanceof List<?> l) {
            parts = l.size();
            for (Object p : l) {
                if (p instanceof Map<?, ?> part && part.get("path") != null) {
                    Long id = SandboxItems.itemIdFromPath(String.valueOf(part.get("path")));
                    if (id != null) {
                        touched.add(id);
                        quantity(part.get("payload")).ifPresent(q -> quantities.put(id, q));
                    }
                }
            }
        }
        Long single = SandboxItems.itemIdFromPath(path);
        if (single != null && !method.equals("GET")) {
            touched.add(single);
            quantity(parsed).ifPresent(q -> quantities.put(single, q));
        }
        return parts;
    }

    /** Whether a JSON body writes a number in exponent form (1E+1); false for anything that is not JSON. */
    private static boolean hasExponentNumber(byte[] body) {
        if (body.length == 0) {
            return false;
        }
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t.isNumeric() && p.getText().toLowerCase(Locale.ROOT).contains("e")) {
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

    private static Optional<String> quantity(Object payload) {
        return payload instanceof Map<?, ?> m && m.containsKey("OnhandQuantity")
                ? Optional.of(String.valueOf(m.get("OnhandQuantity"))) : Optional.empty();
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
        if (knobs.throttleAbove > 0 && overRate(now, knobs.throttleAbove)) {
            return fault(429);
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

    private long rateSecond;
    private int rateCount;

    /** Whether this request is past {@code limit} in its second (knob throttle-above): an ERP that throttles past a rate. */
    private synchronized boolean overRate(Instant now, int limit) {
        long second = now.getEpochSecond();
        if (second != rateSecond) {
            rateSecond = second;
            rateCount = 0;
        }
        return ++rateCount > limit;
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
        return status == 429 || status == 503 || status == 409 ? knobs.withRetryAfter(r, clock.instant()) : r;
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

    private void editLoop() {
        Random r = new Random(config.seed);
        while (running) {
            long interval = knobs.editorIntervalMs;
            if (interval > 0 && config.items > 0) {
                long id = SandboxItems.FIRST_ITEM_ID + 1 + r.nextInt(config.items);
                items.editByAnotherUser(id, "ItemDescription", "Edited by planner at " + items.now());
            }
            if (!sleep(interval > 0 ? interval : 50)) {
                return;
            }
        }
    }

    /** Applies knob settings given by name; also used for sandbox.* start-up settings. */
    public void applyKnobs(Map<?, ?> m) {
        admin.applyKnobs(m);
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
