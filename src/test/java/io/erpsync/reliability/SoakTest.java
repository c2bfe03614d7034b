package io.erpsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.JarProcess;
import io.erpsync.TestRuntime;
import io.erpsync.check.ErpView;
import io.erpsync.check.HistoryChecker;
import io.erpsync.core.CycleSummary;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The soak: many cycles of many changed items against the standalone sandbox ERP (its own process,
 * with random locks, 409/412 conflicts, 5xx and throttling), the runtime in this JVM so that its
 * heap, threads and sockets can be read after each cycle. Run by bench/soak.sh (not in mvn verify):
 * soak.cycles (50) x soak.items (10,000). Prints one line per cycle and a verdict; fails when the
 * history check fails, or heap, threads or sockets grow with the cycles.
 */
@Tag("soak")
class SoakTest {
    final int cycles = Integer.getInteger("soak.cycles", 50);
    final int items = Integer.getInteger("soak.items", 10_000);
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    record Sample(int cycle, CycleSummary summary, long heapBytes, int threads, long sockets) {
    }

    @Test
    void fifty_cycles_of_ten_thousand_items_leave_heap_threads_and_sockets_flat_and_the_history_holds() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "soak", String.valueOf(System.currentTimeMillis())));
        JarProcess sandbox = JarProcess.start(dir, Map.of(), Map.of(), "--sandbox", "--port", "0", "--items", String.valueOf(items));
        try {
            String base = sandboxUrl(sandbox);
            post(base + "/sandbox/knobs", "{\"latencyMs\": 5, \"modifiedRate\": 0.01, \"serverErrorRate\": 0.005, "
                    + "\"unavailableRate\": 0.005, \"throttleRate\": 0.005, \"retryAfterSeconds\": 1, \"editAfterReadRate\": 0.01}");
            List<Map<String, Object>> erpItems = json.readValue(get(base + "/sandbox/items/all"), new TypeReference<>() { });
            String wmsUrl = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("wms");
            String storeUrl = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("store");
            List<Sample> samples = new ArrayList<>();
            try (TestRuntime rt = new TestRuntime(base, wmsUrl, storeUrl)
                    .set("sync.batch-size", "100").set("erp.max-requests-per-second", "10000").set("erp.max-concurrent-requests", "8")
                    .set("sync.retry.initial-delay", "200ms").set("sync.retry.max-delay", "2s")
                    .set("sync.retry.lock-delays", "1s,2s,4s").start()) {
                Instant t = Instant.parse("2026-01-01T00:00:00Z");
                System.out.println("| cycle | status | read | updated | unchanged | conflicts | parked | deferred | requests | s | heap MB after GC "
                        + "| threads | sockets |");
                System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (int c = 1; c <= cycles; c++) {
                    t = writeWms(wmsUrl, erpItems, c, t);
                    // a scheduled job holds 1 % of the items for 3 s as the cycle starts
                    post(base + "/sandbox/jobs", "{\"name\": \"Cost Update\", \"lockFraction\": 0.01, \"durationMs\": 3000}");
                    CycleSummary s = rt.runCycle();
                    System.gc();
                    System.gc();
                    Sample sample = new Sample(c, s, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                            ManagementFactory.getThreadMXBean().getThreadCount(), sockets());
                    samples.add(sample);
                    System.out.printf("| %d | %s | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %d | %d |%n", c, s.status(), s.read(),
                            s.updated(), s.unchanged(), s.conflicts(), s.parked(), s.deferred(), s.requests(), s.durationMs() / 1000.0,
                            sample.heapBytes() / 1048576.0, sample.threads(), sample.sockets());
                }
            }
            HistoryChecker.Report r = new HistoryChecker(ErpView.snapshotOf(base), wmsUrl, storeUrl).assertHolds();
            System.out.println("history check: " + r);
            verdict(samples);
        } finally {
            sandbox.kill();
        }
    }

    /** Flat: after a warm-up of a fifth of the cycles, heap grows less than 0.5 MB per cycle, threads and sockets by at most 2. */
    void verdict(List<Sample> samples) {
        int warm = Math.max(2, samples.size() / 5);
        List<Sample> after = samples.subList(warm, samples.size());
        double slope = slope(after.stream().mapToDouble(s -> s.cycle()).toArray(), after.stream().mapToDouble(s -> s.heapBytes() / 1048576.0).toArray());
        int threadsMin = after.stream().mapToInt(Sample::threads).min().orElse(0);
        int threadsMax = after.stream().mapToInt(Sample::threads).max().orElse(0);
        long socketsMin = after.stream().mapToLong(Sample::sockets).min().orElse(0);
        long socketsMax = after.stream().mapToLong(Sample::sockets).max().orElse(0);
        System.out.printf("verdict after %d warm-up cycles: heap %+.3f MB per cycle; threads %d..%d; sockets %d..%d%n", warm, slope, threadsMin,
                threadsMax, socketsMin, socketsMax);
        assertTrue(slope < 0.5, "heap grows " + slope + " MB per cycle");
        assertTrue(threadsMax - threadsMin <= 2, "threads " + threadsMin + ".." + threadsMax);
        assertTrue(socketsMax - socketsMin <= 2 + 8, "sockets " + socketsMin + ".." + socketsMax);
        assertEquals(0, samples.stream().filter(s -> CycleSummary.FAILED.equals(s.summary().status())).count(), "no cycle failed");
    }

    static double slope(double[] x, double[] y) {
        double mx = java.util.Arrays.stream(x).average().orElse(0);
        double my = java.util.Arrays.stream(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    /** Every item gets a new value, each row a millisecond after the last. */
    static Instant writeWms(String wmsUrl, List<Map<String, Object>> erpItems, int cycle, Instant t) throws Exception {
        try (Connection c = DriverManager.getConnection(wmsUrl)) {
            c.createStatement().execute(io.erpsync.sandbox.SampleWarehouse.DDL);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO stock_level (item_number, organization_code, category, quantity, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                int n = 0;
                for (Map<String, Object> item : erpItems) {
                    t = t.plusMillis(1);
                    ps.setString(1, (String) item.get("ItemNumber"));
                    ps.setString(2, (String) item.get("OrganizationCode"));
                    ps.setString(3, (String) item.get("ItemCategory"));
                    ps.setBigDecimal(4, BigDecimal.valueOf(cycle * 100_000L + (++n)));
                    ps.setTimestamp(5, Timestamp.from(t));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return t;
    }

    /** Open sockets of this process (Linux: /proc/self/fd links to socket:[...]). */
    static long sockets() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        long n = 0;
        try (var list = Files.list(fds)) {
            for (Path fd : list.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // closed while listing
                }
            }
        }
        return n;
    }

    String sandboxUrl(JarProcess sandbox) {
        String marker = "sandbox ERP listening on ";
        String out = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!sandbox.isAlive()) {
                        throw new IllegalStateException("the sandbox did not start: " + sandbox.stderr());
                    }
                    return sandbox.stdout();
                }, o -> o.contains(marker) && o.indexOf(" with ", o.indexOf(marker)) > 0);
        int i = out.indexOf(marker);
        return out.substring(i + marker.length(), out.indexOf(" with ", i));
    }

    byte[] get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    void post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
    }
}
