package io.erpsync.sandbox.storefront;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.erpsync.core.Multipart;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A storefront on a real HTTP server (the JDK's), implementing docs/commerce-contract.md: OAuth
 * client credentials with revocable tokens, throttling (429, and 503 with sfdc_load), inventory
 * records and bundled products with their {@code _resource_state}, objects held busy by a named
 * job, and batches of independent parts that are all in flight at once, so that two parts touching
 * one object (a record, a bundle's parent product) fail each other as the contract warns.
 * Tests and the demo turn its knobs through this class.
 */
public final class SandboxStorefront implements AutoCloseable {
    public static final String DATA_ROOT = "/s/-/dw/data/v23_2";
    public static final String BATCH_PATH = "/s/-/dw/batch";
    public static final String TOKEN_PATH = "/dw/oauth2/access_token";
    static final int MAX_BATCH_PARTS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Start-up settings. */
    public static final class Config {
        public String bindAddress = InetAddress.getLoopbackAddress().getHostAddress();
        public int port;
        public String clientId = "erp-sync";
        public String clientSecret = "sandbox";
        public int threads = 16;
    }

    private final Config config;
    private final StorefrontLog log = new StorefrontLog();
    private final StorefrontObjects objects;
    private final StorefrontResources resources;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger shed = new AtomicInteger();
    private final AtomicInteger tokensRefused = new AtomicInteger();
    private volatile int tokenRefusal = 503;
    private final AtomicInteger shedParts = new AtomicInteger();
    private volatile boolean shedWritesOnly;
    private volatile String throttleRetryAfter = "1";
    private volatile int load;
    private volatile long writeMillis;
    private final Map<String, AtomicInteger> parentInFlight = new ConcurrentHashMap<>();
    private final AtomicInteger maxParentInFlight = new AtomicInteger();
    private final AtomicInteger parentOverlaps = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;
    private final ScheduledExecutorService others = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-storefront-others");
        t.setDaemon(true);
        return t;
    });

    public SandboxStorefront(Config config) {
        this(config, Clock.systemUTC());
    }

    public SandboxStorefront(Config config, Clock clock) {
        this.config = config;
        this.objects = new StorefrontObjects(clock);
        this.resources = new StorefrontResources(objects, log, clock);
    }

    public SandboxStorefront start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(config.bindAddress, config.port), 256);
        executor = Executors.newFixedThreadPool(config.threads, r -> {
            Thread t = new Thread(r, "sandbox-storefront");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public String baseUrl() {
        return "http://" + config.bindAddress + ":" + server.getAddress().getPort();
    }

    public StorefrontLog log() {
        return log;
    }

    public void addRecord(String listId, String productId, long amount) {
        objects.addRecord(listId, productId, amount);
    }

    public void addBundledProduct(String bundleId, String productId, long quantity) {
        objects.addBundledProduct(bundleId, productId, quantity);
    }

    /** The record's allocation.amount (what the client owns). */
    public long amount(String listId, String productId) {
        StorefrontObjects.Entry e = objects.record(listId, productId);
        synchronized (e) {
            return e.amount;
        }
    }

    public void placeOrder(String listId, String productId, long quantity) {
        objects.placeOrder(listId, productId, quantity);
    }

    /** The bundled product's quantity (what the client owns). */
    public long bundledQuantity(String bundleId, String productId) {
        StorefrontObjects.Entry e = objects.bundle(bundleId).get(productId);
        synchronized (e) {
            return e.amount;
        }
    }

    /** The most data requests (reads or writes) to the bundled products of one parent that were ever in flight at once. */
    public int maxRequestsInFlightPerParent() {
        return maxParentInFlight.get();
    }

    /** Data requests to a parent's bundled products that arrived while another to the same parent was in flight. */
    public int parentOverlaps() {
        return parentOverlaps.get();
    }

    /** A merchant (another user) sets the bundled product's quantity. */
    public void editBundledProduct(String bundleId, String productId, long quantity) {
        objects.editBundledProduct(bundleId, productId, quantity);
    }

    /** A merchant sets a field of the bundled product that is not ours (e.g. c_position). */
    public void editBundledOther(String bundleId, String productId, String field, Object value) {
        objects.editBundledOther(bundleId, productId, field, value);
    }

    /** A field of the bundled product as the storefront has it now ("quantity" or another's field). */
    public Object bundledField(String bundleId, String productId, String field) {
        StorefrontObjects.Entry e = objects.bundle(bundleId).get(productId);
        synchronized (e) {
            return field.equals("quantity") ? e.amount : e.others.get(field);
        }
    }

    /** One value a bundled product took, in order: its field, the value, and who set it ("client": a PATCH; "merchant"). */
    public record BundledChange(String bundleId, String productId, String field, Object value, String by) {
    }

    /** Every value the bundled products took, in the order they took them. */
    public List<BundledChange> bundledHistory() {
        return objects.history();
    }

    /**
     * Orders placed every everyMillis on this share (0..1) of the records, chosen at random from the
     * seed: each order adds 1 to turnover and changes the record's state, as checkout does all day.
     */
    public void placeOrdersEvery(long everyMillis, double share, long seed) {
        scheduleOnShare(everyMillis, share, seed, id -> objects.placeOrder(id[0], id[1], 1));
    }

    /** A merchant edits a field not ours (perpetual_flag) every everyMillis on this share of the records. */
    public void editOtherFieldsEvery(long everyMillis, double share, long seed) {
        scheduleOnShare(everyMillis, share, seed, id -> objects.editOtherField(id[0], id[1], "perpetual_flag", true));
    }

    private void scheduleOnShare(long everyMillis, double share, long seed, Consumer<String[]> act) {
        Random random = new Random(seed);
        others.scheduleAtFixedRate(() -> {
            for (String[] id : objects.recordIds()) {
                if (random.nextDouble() < share) {
                    act.accept(id);
                }
            }
        }, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    /** A job (InventoryImportJob) writes the record: every write to it answers ConcurrentModificationException naming the job. */
    public void holdRecord(String listId, String productId, String job) {
        objects.hold("record:" + listId + "/" + productId, job);
    }

    public void releaseRecord(String listId, String productId) {
        objects.release("record:" + listId + "/" + productId);
    }

    /** A job writes the product: every write touching it (its bundled products) answers ConcurrentModificationException. */
    public void holdProduct(String productId, String job) {
        objects.hold("product:" + productId, job);
    }

    /** The job's hold on the product ends: writes touching it go through again. */
    public void releaseProduct(String productId) {
        objects.release("product:" + productId);
    }

    /** Every token issued so far answers InvalidAccessTokenException from now on. */
    public void revokeTokens() {
        tokens.clear();
    }

    /** The next n data or batch requests answer 429 with this Retry-After (seconds or HTTP date). */
    public void throttleNext(int n, String retryAfter) {
        throttleRetryAfter = retryAfter;
        throttled.set(n);
    }

    /** The next n token requests answer this status (429 or 503, as a busy token endpoint would), no token issued. */
    public void refuseNextTokens(int n, int status) {
        tokenRefusal = status;
        tokensRefused.set(n);
    }

    /** The next n data or batch requests are shed: 503 with sfdc_load_status THROTTLE and Retry-After 1, as at a load of 90. */
    public void shedNext(int n) {
        shed.set(n);
    }

    /**
     * The next n parts of batch requests (writes only, or reads and writes) answer 503 ServiceUnavailableException,
     * nothing done: as a single request at that moment would.
     */
    public void shedNextParts(int n, boolean writesOnly) {
        shedWritesOnly = writesOnly;
        shedParts.set(n);
    }

    /** The server's load (0-100): from 80 answers say WARN, from 90 requests are refused with 503 THROTTLE. */
    public void load(int percent) {
        load = percent;
    }

    /** How long a write holds its object (the record, the parent product) before it answers. */
    public void writeMillis(long millis) {
        writeMillis = millis;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath(); // ids decoded one by one (StorefrontResources)
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals(TOKEN_PATH) && method.equals("POST")) {
                token(ex, body);
                return;
            }
            StorefrontResources.Answer refused = refused(ex);
            if (refused != null) {
                log.add(new StorefrontLog.Entry(method, path, refused.status(), List.of()));
                json(ex, refused);
                return;
            }
            if (load >= 80) {
                ex.getResponseHeaders().set("sfdc_load", String.valueOf(load));
                ex.getResponseHeaders().set("sfdc_load_status", "WARN");
            }
            if (path.equals(BATCH_PATH) && method.equals("POST")) {
                batch(ex, body);
            } else if (path.startsWith(DATA_ROOT + "/")) {
                String relative = path.substring(DATA_ROOT.length());
                String parent = StorefrontResources.parentOf(relative);
                AtomicInteger onParent = parent == null ? null : parentInFlight.computeIfAbsent(parent, p -> new AtomicInteger());
                StorefrontResources.Answer a;
                if (onParent != null) {
                    int inFlight = onParent.incrementAndGet();
                    maxParentInFlight.accumulateAndGet(inFlight, Math::max);
                    if (inFlight > 1) {
                        parentOverlaps.incrementAndGet();
                    }
                }
                try {
                    a = run(List.of(new Request("1", method, relative, body))).get(0);
                } finally {
                    if (onParent != null) {
                        onParent.decrementAndGet();
                    }
                }
                log.add(new StorefrontLog.Entry(method, path, a.status(), List.of(new StorefrontLog.Part(method, relative, a.status(),
                        a.faultType()))));
                json(ex, a);
            } else {
                json(ex, StorefrontResources.fault(404, "ResourcePathNotFoundException", "No resource " + path, Map.of()));
            }
        }
    }

    /** Refusals before any data is touched: a missing or revoked token, throttling, load shedding. */
    private StorefrontResources.Answer refused(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring("Bearer ".length()).trim())) {
            return StorefrontResources.fault(401, "InvalidAccessTokenException", "The access token is invalid, expired or revoked", Map.of());
        }
        if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.getResponseHeaders().set("Retry-After", throttleRetryAfter);
            return StorefrontResources.fault(429, "QuotaExceededException", "Too many requests", Map.of());
        }
        if (load >= 90 || shed.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.getResponseHeaders().set("Retry-After", "1");
            int at = Math.max(load, 90);
            ex.getResponseHeaders().set("sfdc_load", String.valueOf(at));
            ex.getResponseHeaders().set("sfdc_load_status", "THROTTLE");
            return StorefrontResources.fault(503, "ServiceUnavailableException", "The server sheds load (" + at + ")", Map.of());
        }
        return null;
    }

    private void token(HttpExchange ex, String body) throws IOException {
        log.tokenRequest();
        if (tokensRefused.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(ex, tokenRefusal, "application/json", JSON.writeValueAsString(Map.of("error", "temporarily_unavailable")));
            return;
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((config.clientId + ":" + config.clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization")) || !body.contains("grant_type=client_credentials")) {
            send(ex, 401, "application/json", JSON.writeValueAsString(Map.of("error", "invalid_client")));
            return;
        }
        String token = UUID.randomUUID().toString();
        tokens.add(token);
        send(ex, 200, "application/json", JSON.writeValueAsString(Map.of("access_token", token, "token_type", "Bearer",
                "expires_in", 1799)));
    }

    private record Request(String contentId, String method, String path, String body) {
    }

    private void batch(HttpExchange ex, String body) throws IOException {
        Multipart in;
        try {
            in = Multipart.read(ex.getRequestHeaders().getFirst("Content-Type"), body);
        } catch (IllegalArgumentException e) {
            json(ex, StorefrontResources.fault(400, "InvalidRequestException", e.getMessage(), Map.of()));
            return;
        }
        if (in.parts().size() > MAX_BATCH_PARTS) {
            log.add(new StorefrontLog.Entry("POST", BATCH_PATH, 413, List.of()));
            json(ex, StorefrontResources.fault(413, "RequestEntityTooLargeException", "At most " + MAX_BATCH_PARTS + " parts", Map.of()));
            return;
        }
        List<Request> requests = new ArrayList<>();
        for (Multipart.Part p : in.parts()) {
            requests.add(new Request(p.header("x-dw-content-id"), String.valueOf(p.header("x-dw-http-method")),
                    String.valueOf(p.header("x-dw-resource-path")), p.body()));
        }
        List<StorefrontResources.Answer> answers = run(requests);
        List<Multipart.Part> out = new ArrayList<>();
        List<StorefrontLog.Part> logged = new ArrayList<>();
        // answered last part first: the contract lets parts come in any order, and a client must match them by content id
        for (int i = requests.size() - 1; i >= 0; i--) {
            StorefrontResources.Answer a = answers.get(i);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-dw-content-id", requests.get(i).contentId());
            headers.put("x-dw-status-code", String.valueOf(a.status()));
            headers.put("Content-Type", "application/json");
            out.add(new Multipart.Part(headers, JSON.writeValueAsString(a.body())));
            logged.add(0, new StorefrontLog.Part(requests.get(i).method(), requests.get(i).path(), a.status(), a.faultType()));
        }
        log.add(new StorefrontLog.Entry("POST", BATCH_PATH, 200, logged));
        Multipart answer = Multipart.of(out);
        send(ex, 200, answer.contentType(), answer.text());
    }

    /**
     * Runs the requests as parts all in flight at once: each write first takes the object it touches,
     * and a part whose object another write holds (an earlier part, another request) fails with
     * ConcurrentModificationException; the others answer, hold their objects writeMillis, and let go.
     */
    private List<StorefrontResources.Answer> run(List<Request> requests) {
        List<String> taken = new ArrayList<>();
        StorefrontResources.Answer[] answers = new StorefrontResources.Answer[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            String object = StorefrontResources.touched(r.method(), r.path());
            if ((!shedWritesOnly || !r.method().equals("GET")) && shedParts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                answers[i] = StorefrontResources.fault(503, "ServiceUnavailableException", "The server sheds load", Map.of());
            } else if (object != null && !objects.beginWrite(object)) {
                log.collision();
                answers[i] = StorefrontResources.fault(409, "ConcurrentModificationException",
                        "Another write touching " + object + " is in progress", Map.of());
            } else if (object != null) {
                taken.add(object);
            }
        }
        try {
            for (int i = 0; i < requests.size(); i++) {
                if (answers[i] == null) {
                    Request r = requests.get(i);
                    answers[i] = resources.answer(r.method(), r.path(), r.body());
                }
            }
            if (!taken.isEmpty() && writeMillis > 0) {
                sleepHolding();
            }
        } finally {
            taken.forEach(objects::endWrite);
        }
        return List.of(answers);
    }

    private void sleepHolding() {
        try {
            // the write's own duration on the server: the window in which another write to its object collides
            TimeUnit.MILLISECONDS.sleep(writeMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void json(HttpExchange ex, StorefrontResources.Answer a) throws IOException {
        send(ex, a.status(), "application/json", JSON.writeValueAsString(a.body()));
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        others.shutdownNow();
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
