import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.sandbox.SandboxItems;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench harness (bench/README.md). For each size and scenario: a standalone sandbox ERP (its own
 * JVM) with the given latency and N items, a WMS database with N changed rows (or --wms-rows rows of
 * which N changed), then the real runnable jar running one cycle (--once) as a child process, and with
 * --baseline the naive client (bench/NaiveClient.java) against a fresh sandbox in the same scenario.
 * Prints one table row per run. Never fails on figures; exits non-zero only when a run could not be made.
 */
public class Bench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path WORK = ROOT.resolve("bench/work");
    static final String QUERY = "SELECT item_number, organization_code, category, quantity, updated_at FROM stock_level "
            + "WHERE updated_at > :?since ORDER BY updated_at";
    /** Items the sandbox holds beyond the run's, used to warm it up: a real ERP is warm when a cycle comes. */
    static final int WARM_ITEMS = 2000;
    static final String AUTH = "Basic " + java.util.Base64.getEncoder().encodeToString("integration.user:sandbox".getBytes(StandardCharsets.UTF_8));

    /** What the command line asked for. */
    static final class Options {
        List<String> scenarios = List.of("none");
        List<Integer> sizes = List.of(10_000);
        long wmsRows;
        int latencyMs = 20;
        int batch = 100;
        int lanes = 4;
        int concurrency = 4;
        String db = "h2";
        boolean baseline;
        /** The ideal client (bench/IdealClient.java) once per size, the reference of cycle/ideal; --no-ideal skips it. */
        boolean ideal = true;
        /** The sandbox's latency jitter: each request's latency varies by up to this fraction either way. */
        double jitter;
        /** The sandbox's item categories (--categories): two organizations x this many segments when odd. */
        int categories = 5;
        String heap = "512m";
        String extra = "";
        /** The JVM options bin/erp-sync gives a --once (start-up archive, C1 only, the serial collector, JVM warnings on stderr). */
        List<String> jvm = List.of("-XX:SharedArchiveFile=target/erp-sync.jsa", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xlog:disable", "-Xlog:all=warning:stderr");
    }

    /** A scenario: what the ERP does during the run, and settings erp-sync runs with. */
    record Scenario(String name, String what, List<String> adminCalls, Map<String, String> settings) {
    }

    static Scenario scenario(String name) {
        return switch (name) {
            case "none" -> new Scenario(name, "no contention", List.of(), Map.of());
            case "locks-5s" -> new Scenario(name, "10 % of items locked for 5 s from the first request",
                    List.of("jobs:{\"name\":\"Planner Workbench Session\",\"lockFraction\":0.1,\"durationMs\":5000,\"startOnNextRequest\":true}"),
                    Map.of());
            case "job-30s" -> new Scenario(name, "a scheduled job (Cost Update) holds locks on 10 % for 30 s",
                    List.of("jobs:{\"name\":\"Cost Update\",\"lockFraction\":0.1,\"durationMs\":30000}"), Map.of());
            case "edits-5%" -> new Scenario(name, "another user edits 5 % of the items right after they are read",
                    List.of("knobs:{\"editAfterReadRate\":0.05}"), Map.of());
            case "503-2%" -> new Scenario(name, "2 % of requests answered 503 with Retry-After: 1",
                    List.of("knobs:{\"unavailableRate\":0.02,\"retryAfterSeconds\":1}"), Map.of());
            case "lock-2%-10m" -> new Scenario(name, "2 % of items locked for 10 minutes (past every retry)",
                    List.of("jobs:{\"name\":\"Planner Workbench Session\",\"lockFraction\":0.02,\"durationMs\":600000}"), Map.of());
            case "lock-40%-10m" -> new Scenario(name, "40 % of items locked for 10 minutes (a lock storm the gate does not know)",
                    List.of("jobs:{\"name\":\"Planner Workbench Session\",\"lockFraction\":0.4,\"durationMs\":600000}"), Map.of());
            default -> throw new IllegalArgumentException("unknown scenario " + name
                    + "; known: none, locks-5s, job-30s, edits-5%, 503-2%, lock-2%-10m, lock-40%-10m");
        };
    }

    /** One table row. */
    record Row(String scenario, String client, int changed, double wallS, double cycleS, double startupS, long requests, double limitS,
               double heapMb, double rssMb, double cpuS, double erpCpuS, int landed, int parked, int deferred, int lost, String note,
               double idealS) {
        Row withIdeal(double s) {
            return new Row(scenario, client, changed, wallS, cycleS, startupS, requests, limitS, heapMb, rssMb, cpuS, erpCpuS, landed, parked,
                    deferred, lost, note, s);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Files.createDirectories(WORK);
        System.out.printf("# erp-sync bench %s, %d cores, %s; latency %d ms%s, batch %d, lanes %d, max in flight %d, WMS on %s%s; JVM %s%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version(), o.latencyMs,
                o.jitter > 0 ? String.format(" +-%.0f %%", o.jitter * 100) : "", o.batch, o.lanes,
                o.concurrency, o.db, o.wmsRows > 0 ? ", " + o.wmsRows + " WMS rows" : "", String.join(" ", o.jvm));
        System.out.println("| scenario | client | changed | wall s | cycle s | start-up s | items/s | requests | req/item | limit s | "
                + "cycle/limit | peak heap MB | RSS MB | CPU s | ERP CPU s | landed | parked | deferred | lost or stale | ideal s | cycle/ideal |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Postgres pg = o.db.equals("postgres") ? Postgres.start() : null;
        try {
            for (int size : o.sizes) {
                Row ideal = o.ideal ? runIdeal(o, size) : null;
                double idealS = ideal == null ? 0 : ideal.cycleS();
                if (ideal != null) {
                    print(ideal.withIdeal(idealS));
                }
                for (String name : o.scenarios) {
                    Scenario sc = scenario(name);
                    print(runErpSync(o, sc, size, pg).withIdeal(idealS));
                    if (o.baseline) {
                        print(runNaive(o, sc, size, pg).withIdeal(idealS));
                    }
                }
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--scenarios" -> o.scenarios = Arrays.asList(args[++i].split(","));
                case "--sizes" -> o.sizes = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--wms-rows" -> o.wmsRows = Long.parseLong(args[++i]);
                case "--latency-ms" -> o.latencyMs = Integer.parseInt(args[++i]);
                case "--batch" -> o.batch = Integer.parseInt(args[++i]);
                case "--lanes" -> o.lanes = Integer.parseInt(args[++i]);
                case "--concurrency" -> o.concurrency = Integer.parseInt(args[++i]);
                case "--db" -> o.db = args[++i];
                case "--baseline" -> o.baseline = true;
                case "--no-ideal" -> o.ideal = false;
                case "--jitter" -> o.jitter = Double.parseDouble(args[++i]);
                case "--categories" -> o.categories = Integer.parseInt(args[++i]);
                case "--heap" -> o.heap = args[++i];
                case "--set" -> o.extra = o.extra + " " + args[++i];
                case "--jvm" -> o.jvm = Arrays.asList(args[++i].trim().split("\\s+"));
                default -> throw new IllegalArgumentException("unknown option " + a + "; see bench/README.md");
            }
        }
        return o;
    }

    static void print(Row r) {
        double itemsPerS = r.cycleS() > 0 ? r.changed() / r.cycleS() : 0;
        System.out.printf("| %s | %s | %d | %.1f | %.2f | %.1f | %.0f | %d | %.4f | %.2f | %s | %.0f | %.0f | %.1f | %.1f | %d | %d | %d | %d | %s | %s |%s%n",
                r.scenario(), r.client(), r.changed(), r.wallS(), r.cycleS(), r.startupS(), itemsPerS, r.requests(),
                r.changed() == 0 ? 0 : (double) r.requests() / r.changed(), r.limitS(),
                r.limitS() > 0 && r.cycleS() > 0 ? String.format("%.2f", r.cycleS() / r.limitS()) : "-",
                r.heapMb(), r.rssMb(), r.cpuS(), r.erpCpuS(), r.landed(), r.parked(), r.deferred(), r.lost(),
                r.idealS() > 0 ? String.format("%.2f", r.idealS()) : "-",
                r.idealS() > 0 && r.cycleS() > 0 ? String.format("%.2f", r.cycleS() / r.idealS()) : "-",
                r.note() == null ? "" : " " + r.note());
        System.out.flush();
    }

    // ---- one run of erp-sync ---------------------------------------------------------------

    static Row runErpSync(Options o, Scenario sc, int changed, Postgres pg) throws Exception {
        String id = "run-" + System.nanoTime();
        try (Sandbox erp = Sandbox.start(changed, o.latencyMs, o.jitter, o.categories)) {
            String wms = wmsDatabase(pg, id, changed, o.wmsRows, o.categories);
            String store = pg != null ? pg.database("store_" + id.replace('-', '_')) : "jdbc:h2:file:" + WORK.resolve(id + "-store");
            if (o.wmsRows > changed) {
                // the unchanged rows are older than the watermark: a first run on an empty WMS table creates the store
                seedWatermark(o, erp, wms, store);
            }
            for (String call : sc.adminCalls()) {
                erp.admin(call);
            }
            List<String> cmd = new ArrayList<>(List.of("java", "-Xmx" + o.heap));
            cmd.addAll(o.jvm);
            cmd.add("-Xlog:gc:file=" + WORK.resolve(id + "-gc.log"));
            cmd.addAll(List.of(
                    "-Dcamel.main.profile=prod",
                    "-Derp.base-url=" + erp.url, "-Derp.username=integration.user", "-Derp.password=sandbox",
                    "-Dwms.datasource.url=" + wms, "-Dwms.query=" + QUERY, "-Dstore.datasource.url=" + store,
                    "-Dsync.batch-size=" + o.batch, "-Dsync.lanes=" + o.lanes, "-Derp.max-concurrent-requests=" + o.concurrency,
                    "-Derp.max-requests-per-second=100000", "-Dcamel.management.enabled=false"));
            for (var e : sc.settings().entrySet()) {
                cmd.add("-D" + e.getKey() + "=" + e.getValue());
            }
            for (String kv : o.extra.trim().isEmpty() ? new String[0] : o.extra.trim().split(" ")) {
                cmd.add("-D" + kv);
            }
            cmd.addAll(List.of("-jar", "target/erp-sync.jar", "--once"));
            Instant started = Instant.now();
            double erpCpuBefore = erp.cpuSeconds();
            Measured m = Measured.run(cmd, WORK.resolve(id + "-erp-sync.log"));
            double erpCpu = erp.cpuSeconds() - erpCpuBefore;
            JsonNode summary = lastJsonLine(m.stdout());
            if (summary == null) {
                throw new IllegalStateException("erp-sync printed no summary (exit " + m.exit() + "); see " + WORK.resolve(id + "-erp-sync.log"));
            }
            JsonNode requests = erp.admin("GET /sandbox/requests");
            System.err.printf("  ERP: %d requests over %d ms, %.2f in flight on average%n", requests.path("count").asLong(),
                    requests.path("spanMs").asLong(), requests.path("busyMs").asDouble() / Math.max(1, requests.path("spanMs").asLong()));
            if (!requests.path("first").isNull() && !requests.path("firstItem").isNull()) {
                System.err.printf("  ERP: the first item request %d ms after the first request (the job gate's, when it is on)%n",
                        Duration.between(Instant.parse(requests.path("first").asText()), Instant.parse(requests.path("firstItem").asText())).toMillis());
            }
            double startup = requests.path("first").isNull() ? 0
                    : Duration.between(started, Instant.parse(requests.path("first").asText())).toMillis() / 1000.0;
            int landed = landed(erp, changed);
            int parked = summary.path("parked").asInt();
            int deferred = summary.path("deferred").asInt();
            return new Row(sc.name(), "erp-sync", changed, m.wallS(), summary.path("duration").asLong() / 1000.0, startup,
                    summary.path("requests").asLong(), limit(changed, o), heapPeakMb(WORK.resolve(id + "-gc.log")), m.rssMb(), m.cpuS(), erpCpu,
                    landed, parked, deferred, Math.max(0, changed - landed - parked - deferred), summary.path("status").asText(), 0);
        }
    }

    // ---- one run of the baseline -------------------------------------------------------------

    static Row runNaive(Options o, Scenario sc, int changed, Postgres pg) throws Exception {
        String id = "naive-" + System.nanoTime();
        try (Sandbox erp = Sandbox.start(changed, o.latencyMs, o.jitter, o.categories)) {
            String wms = wmsDatabase(pg, id, changed, 0, o.categories);
            for (String call : sc.adminCalls()) {
                erp.admin(call);
            }
            List<String> cmd = List.of("java", "-Xmx" + o.heap, "-cp", System.getProperty("java.class.path"), "bench/NaiveClient.java",
                    erp.url, wms, String.valueOf(o.concurrency));
            double erpCpuBefore = erp.cpuSeconds();
            Measured m = Measured.run(cmd, WORK.resolve(id + "-naive.log"));
            double erpCpu = erp.cpuSeconds() - erpCpuBefore;
            JsonNode summary = lastJsonLine(m.stdout());
            if (summary == null) {
                throw new IllegalStateException("the naive client printed no summary (exit " + m.exit() + ")");
            }
            int landed = landed(erp, changed);
            return new Row(sc.name(), "naive", changed, m.wallS(), m.wallS(), 0, summary.path("requests").asLong(), limit(changed, o),
                    0, m.rssMb(), m.cpuS(), erpCpu, landed, 0, 0, changed - landed, "", 0);
        }
    }

    // ---- one run of the ideal client -----------------------------------------------------------

    /**
     * The ideal client (bench/IdealClient.java) against a fresh sandbox of the same size, latency and
     * jitter, no contention: its own time from its first request to its last answer is the cycle's reference.
     */
    static Row runIdeal(Options o, int changed) throws Exception {
        String id = "ideal-" + System.nanoTime();
        try (Sandbox erp = Sandbox.start(changed, o.latencyMs, o.jitter, o.categories)) {
            // compiled ahead and run on C1 only, as the runtime runs: its start and its JIT are not what it is measured on
            Path classes = WORK.resolve("ideal-classes");
            if (!Files.exists(classes.resolve("IdealClient.class"))
                    || Files.getLastModifiedTime(classes.resolve("IdealClient.class")).compareTo(Files.getLastModifiedTime(Path.of("bench/IdealClient.java"))) < 0) {
                Measured javac = Measured.run(List.of("javac", "-cp", System.getProperty("java.class.path"), "-d", classes.toString(),
                        "bench/IdealClient.java"), WORK.resolve("ideal-javac.log"));
                if (javac.exit() != 0) {
                    throw new IllegalStateException("could not compile bench/IdealClient.java; see " + WORK.resolve("ideal-javac.log"));
                }
            }
            List<String> cmd = List.of("java", "-Xmx" + o.heap, "-XX:TieredStopAtLevel=1", "-cp", classes + File.pathSeparator
                    + System.getProperty("java.class.path"), "IdealClient", erp.url, String.valueOf(changed),
                    String.valueOf(Math.min(o.lanes, o.concurrency)), String.valueOf(o.batch), "500", String.valueOf(o.categories));
            double erpCpuBefore = erp.cpuSeconds();
            Measured m = Measured.run(cmd, WORK.resolve(id + "-ideal.log"));
            double erpCpu = erp.cpuSeconds() - erpCpuBefore;
            JsonNode summary = lastJsonLine(m.stdout());
            if (summary == null) {
                throw new IllegalStateException("the ideal client printed no summary (exit " + m.exit() + "); see " + WORK.resolve(id + "-ideal.log"));
            }
            int landed = landed(erp, changed);
            return new Row("none", "ideal", changed, m.wallS(), summary.path("ms").asLong() / 1000.0, 0, summary.path("requests").asLong(),
                    limit(changed, o), 0, m.rssMb(), m.cpuS(), erpCpu, landed, 0, 0, changed - landed, "", 0);
        }
    }

    /**
     * The time a perfect client needs at this latency and concurrency: one read and one write per
     * batch of the configured size, per segment (organization x category), every request taking the latency.
     */
    static double limit(int changed, Options o) {
        Map<String, Integer> segments = new HashMap<>();
        for (int n = 1; n <= changed; n++) {
            segments.merge(org(n) + "|" + SandboxItems.category(n, o.categories), 1, Integer::sum);
        }
        long batches = 0;
        for (int inSegment : segments.values()) {
            batches += (inSegment + o.batch - 1) / o.batch;
        }
        return 2.0 * batches * o.latencyMs / 1000.0 / Math.min(o.lanes, o.concurrency);
    }

    /** Items whose ERP quantity is the WMS's (1000 + n for item n; the sandbox seeds quantities below 1000). */
    static int landed(Sandbox erp, int changed) throws Exception {
        JsonNode items = erp.admin("GET /sandbox/items");
        int landed = 0;
        for (int n = 1; n <= changed; n++) {
            JsonNode q = items.get(itemNumber(n) + "|" + org(n));
            if (q != null && q.asLong() == 1000 + n) {
                landed++;
            }
        }
        return landed;
    }

    static String itemNumber(int n) {
        return String.format("ITM-%05d", n);
    }

    static String org(long n) {
        return n % 2 == 1 ? "M1" : "M2";
    }

    // ---- the WMS ---------------------------------------------------------------------------

    /** N changed rows naming sandbox items 1..N (organization and category as the sandbox seeds them), plus old unchanged rows. */
    static String wmsDatabase(Postgres pg, String id, int changed, long totalRows, int categories) throws Exception {
        String url = pg != null ? pg.database("wms_" + id.replace('-', '_')) : "jdbc:h2:file:" + WORK.resolve(id + "-wms");
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE stock_level (item_number VARCHAR(40) NOT NULL, organization_code VARCHAR(10) NOT NULL, "
                        + "category VARCHAR(40), quantity NUMERIC(18, 4), updated_at TIMESTAMP NOT NULL)");
            }
            Instant old = Instant.parse("2020-01-01T00:00:00Z");
            Instant now = Instant.now().minusSeconds(3600);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO stock_level (item_number, organization_code, category, quantity, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                int pending = 0;
                for (long n = changed + 1; n <= totalRows; n++) {
                    add(ps, "OLD-" + n, org(n), SandboxItems.category((int) (n % categories), categories), 1, old.plusMillis(n));
                    if (++pending % 5000 == 0) {
                        ps.executeBatch();
                    }
                }
                for (int n = 1; n <= changed; n++) {
                    add(ps, itemNumber(n), org(n), SandboxItems.category(n, categories), 1000 + n, now.plusMillis(n));
                    if (++pending % 5000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            // why: a WMS answers a delta query (updated_at > ?) from an index; without one the embedded H2 sorts every
            // row in erp-sync's own process, once per WMS read (bench/RESULTS.md, issue 23: CPU per changed item)
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE INDEX stock_level_updated ON stock_level (updated_at)");
                }
            c.commit();
        }
        return url;
    }

    static void add(PreparedStatement ps, String item, String org, String category, long quantity, Instant at) throws Exception {
        ps.setString(1, item);
        ps.setString(2, org);
        ps.setString(3, category);
        ps.setLong(4, quantity);
        ps.setTimestamp(5, Timestamp.from(at));
        ps.addBatch();
    }

    /** The store with its watermark after the old rows: the runtime creates its tables (--report), then the watermark is set. */
    static void seedWatermark(Options o, Sandbox erp, String wms, String store) throws Exception {
        Measured m = Measured.run(List.of("java", "-Dcamel.main.profile=prod", "-Derp.base-url=" + erp.url, "-Derp.username=integration.user",
                "-Derp.password=sandbox", "-Dwms.datasource.url=" + wms, "-Dwms.query=" + QUERY, "-Dstore.datasource.url=" + store,
                "-Dcamel.management.enabled=false", "-jar", "target/erp-sync.jar", "--report"), WORK.resolve("store-setup.log"));
        if (m.exit() != 0) {
            throw new IllegalStateException("could not create the store: see " + WORK.resolve("store-setup.log"));
        }
        try (Connection c = DriverManager.getConnection(store); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sync_watermark (name, mark, run_id, updated_at) VALUES ('wms', ?, 0, ?)")) {
            ps.setObject(1, java.time.OffsetDateTime.parse("2020-06-01T00:00:00Z"));
            ps.setObject(2, java.time.OffsetDateTime.now());
            ps.executeUpdate();
        }
    }

    static JsonNode lastJsonLine(String stdout) throws IOException {
        String[] lines = stdout.trim().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("{")) {
                return JSON.readTree(lines[i]);
            }
        }
        return null;
    }

    /** The largest heap in use before a collection, from -Xlog:gc ("... 45M->12M(256M) ..."). */
    static double heapPeakMb(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return 0;
        }
        Pattern p = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        double peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, Double.parseDouble(m.group(1)));
            }
        }
        return peak;
    }

    // ---- child processes ---------------------------------------------------------------------

    /** A child process run to its end, with its wall time, its peak RSS and CPU seconds read from /proc while it ran. */
    record Measured(int exit, String stdout, double wallS, double rssMb, double cpuS) {
        static Measured run(List<String> cmd, Path log) throws Exception {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectError(log.toFile()).start();
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (out) {
                            out.append(line).append('\n');
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.start();
            double rss = 0;
            double cpu = 0;
            while (p.isAlive()) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
                        if (line.startsWith("VmHWM:")) {
                            rss = Math.max(rss, Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
                        }
                    }
                    cpu = cpuSeconds(p.pid());
                } catch (IOException | RuntimeException gone) {
                    // exited between the check and the read
                }
                Thread.sleep(50);
            }
            reader.join();
            return new Measured(p.waitFor(), out.toString(), (System.nanoTime() - start) / 1e9, rss, cpu);
        }
    }

    /** User and system CPU seconds of a live process, from /proc (100 clock ticks a second). */
    static double cpuSeconds(long pid) throws IOException {
        String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / 100.0;
    }

    /** The sandbox ERP in a JVM of its own, so that its work does not count as the runtime's heap or CPU. */
    static final class Sandbox implements AutoCloseable {
        final Process process;
        final String url;

        Sandbox(Process process, String url) {
            this.process = process;
            this.url = url;
        }

        static Sandbox start(int items, int latencyMs, double jitter, int categories) throws Exception {
            Sandbox erp = launch(items + WARM_ITEMS, latencyMs, jitter, categories);
            erp.warmUp(items);
            return erp;
        }

        /** Reads and batch writes on the extra items, until the sandbox's JIT has settled; then the request log is cleared. */
        void warmUp(int runItems) throws Exception {
            String root = "/fscmRestApi/resources/11.13.18.05";
            for (int round = 0; round < 40; round++) {
                int first = runItems + 1 + (round % 20) * 100;
                StringBuilder q = new StringBuilder("ItemNumber in (");
                StringBuilder parts = new StringBuilder("{\"parts\":[");
                for (int n = first; n < first + 100; n++) {
                    q.append(n == first ? "" : ",").append('\'').append(itemNumber(n)).append('\'');
                    parts.append(n == first ? "" : ",").append("{\"id\":\"p").append(n).append("\",\"path\":\"/items/")
                            .append(300100071600000L + n).append("\",\"operation\":\"update\",\"payload\":{\"OnhandQuantity\":")
                            .append(round).append("}}");
                }
                q.append(')');
                parts.append("]}");
                HTTP.send(HttpRequest.newBuilder(URI.create(url + root + "/items?limit=500&q="
                        + java.net.URLEncoder.encode(q.toString(), StandardCharsets.UTF_8).replace("+", "%20")))
                        .header("Authorization", AUTH).header("REST-Framework-Version", "2").GET().build(), HttpResponse.BodyHandlers.discarding());
                HTTP.send(HttpRequest.newBuilder(URI.create(url + root)).header("Authorization", AUTH)
                        .header("Content-Type", "application/vnd.oracle.adf.batch+json")
                        .POST(HttpRequest.BodyPublishers.ofString(parts.toString())).build(), HttpResponse.BodyHandlers.discarding());
            }
            HTTP.send(HttpRequest.newBuilder(URI.create(url + "/sandbox/requests")).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }

        static Sandbox launch(int items, int latencyMs, double jitter, int categories) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process p = new ProcessBuilder("java", "-Xmx3g", "-jar", "target/erp-sync.jar", "--sandbox", "--port", String.valueOf(port),
                    "--items", String.valueOf(items), "--latency-ms", String.valueOf(latencyMs), "--latency-jitter", String.valueOf(jitter), "--categories", String.valueOf(categories))
                    .directory(ROOT.toFile()).redirectError(WORK.resolve("sandbox.log").toFile()).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.contains("listening")) {
                p.destroyForcibly();
                throw new IllegalStateException("the sandbox did not start: " + line + " (see bench/work/sandbox.log)");
            }
            return new Sandbox(p, "http://127.0.0.1:" + port);
        }

        /** CPU seconds the sandbox's process has used so far. */
        double cpuSeconds() {
            try {
                return Bench.cpuSeconds(process.pid());
            } catch (IOException e) {
                return 0;
            }
        }

        /** "knobs:{...}", "jobs:{...}" (POST to /sandbox/...), or "GET /sandbox/..." */
        JsonNode admin(String call) throws Exception {
            HttpRequest.Builder b;
            if (call.startsWith("GET ")) {
                b = HttpRequest.newBuilder(URI.create(url + call.substring(4))).GET();
            } else {
                String path = call.substring(0, call.indexOf(':'));
                b = HttpRequest.newBuilder(URI.create(url + "/sandbox/" + path))
                        .POST(HttpRequest.BodyPublishers.ofString(call.substring(call.indexOf(':') + 1)));
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(call + ": " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /** An embedded PostgreSQL (zonky, as the tests use) for --db postgres: one server, a database per run. */
    static final class Postgres implements AutoCloseable {
        final Object server;
        final int port;

        Postgres(Object server, int port) {
            this.server = server;
            this.port = port;
        }

        static Postgres start() throws Exception {
            Class<?> type = Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
            Object server = type.getMethod("start").invoke(null);
            int port = (int) type.getMethod("getPort").invoke(server);
            return new Postgres(server, port);
        }

        String database(String name) throws Exception {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres");
                 Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres&password=postgres";
        }

        @Override
        public void close() throws Exception {
            Method m = server.getClass().getMethod("close");
            m.invoke(server);
        }
    }

    static {
        // the bench's own work files; never committed
        new File("bench/work").mkdirs();
    }
}
