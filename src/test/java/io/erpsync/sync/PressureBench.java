package io.erpsync.sync;

import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Issue 24's figure (bench/pressure.sh, not in mvn verify): a changing day compressed into four cycles,
 * side by side for each configuration on a fresh sandbox, the same changes for each (one seed): quiet;
 * then a job the gate does not know locks 5 % of the items for a few seconds, ten times more often the
 * items that just fell to no stock; then the ERP throttles past half the configured request rate; then
 * quiet again. Each cycle changes the same number of rows, a tenth of them to 0 (stock-outs). Prints
 * one row per configuration: requests per changed item, parts rolled back by a locked neighbour (write
 * parts of a refused batch that were not locked themselves), 429s received, lock conflicts met (write
 * parts that met a lock), cycle time (all four, and the two quiet ones), and the stock-outs' p95 time
 * to land (the answer to the write that set them to 0, from their cycle's start; in ms and as a share
 * of their cycle; and of those the job did not lock, whose wait is the lock's). A first run of the first
 * configuration (every path the others take) warms the JVM and is not shown.
 */
@Tag("bench")
class PressureBench {
    static final int ITEMS = Integer.getInteger("pressure.items", 1000);
    static final int CHANGES = Integer.getInteger("pressure.changes", 400);
    static final int RATE = Integer.getInteger("pressure.rate", 40);
    static final int LATENCY_MS = Integer.getInteger("pressure.latency-ms", 10);
    static final long LOCK_MS = Long.getLong("pressure.lock-ms", 4000);
    static final long SEED = Long.getLong("pressure.seed", 24);
    /** The share of each cycle's changed rows that fall to 0 (stock-outs). */
    static final double STOCK_OUTS = Double.parseDouble(System.getProperty("pressure.stock-outs", "0.1"));
    static final long FIRST_ID = 300100071600000L;
    /** The cycles of the day, each quiet, locks or throttle. */
    static final String[] PHASES = System.getProperty("pressure.phases", "quiet,locks,throttle,quiet").split(",");
    /** Only the configurations of these names (separated by ';'; empty: all). */
    static final String ONLY = System.getProperty("pressure.only", "");

    record Config(String name, Map<String, String> settings) {
        boolean naive() {
            return settings == null;
        }
    }

    static Config fixed(int size) {
        return new Config("fixed " + size, Map.of("sync.batch-size", String.valueOf(size), "sync.batch.adaptive", "false",
                "erp.rate.adaptive", "false", "sync.priority.enabled", "false"));
    }

    static final class Totals {
        long requests;
        long changed;
        long rolledBack;
        long throttled;
        long lockConflicts;
        long patch409s;
        long cycleMs;
        long quietMs;
        long landed;
        long parked;
        final List<Long> stockOutMs = new ArrayList<>();
        final List<Double> stockOutShare = new ArrayList<>();
        final List<Double> unlockedShare = new ArrayList<>();
        final List<Long> eachCycleMs = new ArrayList<>();
        final List<Long> eachRequests = new ArrayList<>();
    }

    @Test
    void a_changing_day_in_four_cycles_adaptive_against_fixed_sizes_and_the_naive_client() throws Exception {
        List<Config> configs = new ArrayList<>();
        Map<String, String> adaptive = new LinkedHashMap<>();
        adaptive.put("sync.batch-size", "100");
        adaptive.put("sync.batch.adaptive", "true");
        adaptive.put("erp.rate.adaptive", "true");
        adaptive.put("sync.priority.enabled", "true");
        configs.add(new Config("adaptive + stock-outs first", adaptive));
        Map<String, String> aimdOnly = new LinkedHashMap<>(adaptive);
        aimdOnly.put("sync.priority.enabled", "false");
        configs.add(new Config("adaptive, stock-outs first off", aimdOnly));
        Map<String, String> quickRate = new LinkedHashMap<>(adaptive);
        quickRate.put("erp.rate.increase", "5");
        configs.add(new Config("adaptive + stock-outs first, erp.rate.increase 5", quickRate));
        Map<String, String> noProbe = new LinkedHashMap<>(adaptive);
        noProbe.put("sync.retry.lock-probe", "false");
        configs.add(new Config("adaptive + stock-outs first, lock probe off", noProbe));
        for (int size : new int[] {10, 25, 50, 100}) {
            configs.add(fixed(size));
        }
        configs.add(new Config("naive client", null));
        System.out.printf("# pressure bench %s, %d cores, %s; %d sandbox items, %d changed rows a cycle (a share of %s to 0), latency %d ms, "
                + "erp.max-requests-per-second %d, sync.lanes 4; cycles: %s; locks on 5 %% of the items for %d ms (10x as likely on "
                + "a stock-out), throttling past %d requests a second; seed %d%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), ITEMS, CHANGES, STOCK_OUTS, LATENCY_MS, RATE, String.join(", ", PHASES), LOCK_MS, RATE / 2, SEED);
        System.out.println("| configuration | requests/changed item | rolled-back parts | 429s | lock conflicts met | cycle s (" + PHASES.length
                + ") | quiet cycles s (" + java.util.Arrays.stream(PHASES).filter("quiet"::equals).count() + ") | landed | parked "
                + "| stock-outs p95 ms | p95 share of cycle | unlocked stock-outs p95 share of cycle |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        // a first run warms the JVM (class loading, JIT, connections), so that no configuration pays for it: the
        // first configuration's, which takes every path the others take (adaptive sizes and rate, stock-outs first)
        run(configs.get(0));
        for (Config c : configs) {
            if (!ONLY.isBlank() && java.util.Arrays.stream(ONLY.split(";")).noneMatch(o -> c.name().equals(o.trim()))) {
                continue;
            }
            Totals t = run(c);
            System.out.printf("| %s | %.3f | %d | %d | %d | %.1f | %.1f | %d | %d | %d | %.3f | %.3f |%n", c.name(),
                    (double) t.requests / t.changed, t.rolledBack, t.throttled, t.lockConflicts, t.cycleMs / 1000.0, t.quietMs / 1000.0,
                    t.landed, t.parked, percentile(t.stockOutMs), percentileShare(t.stockOutShare), percentileShare(t.unlockedShare));
            System.out.printf("# %s: each cycle ms %s, requests %s%n", c.name(), t.eachCycleMs, t.eachRequests);
            if (c.naive()) {
                System.out.printf("# naive client: %d PATCHes answered 409 (a cross-check of its lock conflicts met)%n", t.patch409s);
            }
        }
    }

    Totals run(Config c) throws Exception {
        Totals t = new Totals();
        Random random = new Random(SEED);
        try (SandboxErp erp = TestRuntime.sandbox(ITEMS); TestRuntime rt = new TestRuntime(erp)) {
            erp.knobs().latencyMs = LATENCY_MS;
            if (!c.naive()) {
                rt.set("erp.max-requests-per-second", String.valueOf(RATE));
                c.settings().forEach(rt::set);
                rt.start();
            }
            Map<Integer, Long> last = new LinkedHashMap<>();
            for (String phase : PHASES) {
                List<Integer> changed = new ArrayList<>();
                Set<Integer> seen = new HashSet<>();
                while (changed.size() < CHANGES) {
                    int n = 1 + random.nextInt(ITEMS);
                    if (seen.add(n)) {
                        changed.add(n);
                    }
                }
                Set<Integer> stockOuts = new HashSet<>(changed.subList(0, (int) Math.round(CHANGES * STOCK_OUTS)));
                Map<Integer, Long> rows = new LinkedHashMap<>();
                for (int n : changed) {
                    rows.put(n, stockOuts.contains(n) ? 0L : 1000L + random.nextInt(9000));
                }
                // the WMS rows in a shuffled order, so the stock-outs are spread through the read
                List<Integer> order = new ArrayList<>(changed);
                java.util.Collections.shuffle(order, random);
                for (int n : order) {
                    rt.wmsItem(n, rows.get(n));
                }
                last.putAll(rows);
                Set<Long> locked = new HashSet<>();
                if (phase.equals("locks")) {
                    locked = lockFivePercent(erp, changed, stockOuts, random);
                }
                if (phase.equals("throttle")) {
                    erp.knobs().throttleAbove = RATE / 2;
                }
                erp.requests().clear();
                Instant start = Instant.now();
                if (c.naive()) {
                    naive(erp, order, rows);
                } else {
                    CycleSummary s = rt.runCycle();
                    t.parked += s.parked();
                }
                Instant end = Instant.now();
                erp.knobs().throttleAbove = 0;
                List<io.erpsync.sandbox.ScheduledJob> jobs = erp.jobs();
                erp.clearJobs();
                long ms = Duration.between(start, end).toMillis();
                t.cycleMs += ms;
                t.eachCycleMs.add(ms);
                if (phase.equals("quiet")) {
                    t.quietMs += ms;
                }
                t.changed += CHANGES;
                List<RequestLog.Entry> log = erp.requests().entries();
                t.requests += log.size();
                t.eachRequests.add((long) log.size());
                if (Boolean.getBoolean("pressure.trace")) {
                    for (RequestLog.Entry e : log) {
                        System.out.printf("# trace %s %s: %d-%d ms %s %s %d parts %d%n", c.name(), phase, Duration.between(start, e.receivedAt())
                                .toMillis(), Duration.between(start, e.at()).toMillis(), e.method(), e.path(), e.status(), e.parts());
                    }
                }
                for (RequestLog.Entry e : log) {
                    if (e.status() == 429) {
                        t.throttled++;
                    }
                    if (!e.isWrite() && !e.method().equals("PATCH")) {
                        continue;
                    }
                    // one measure for both clients: item-attempts that reached the sandbox while the job locked the
                    // item (the sandbox answers each with 409 RECORD_LOCKED: a PATCH as a whole, a batch part as its part)
                    int lockedParts = 0;
                    for (long id : e.items()) {
                        for (io.erpsync.sandbox.ScheduledJob j : jobs) {
                            if (j.locks(id, e.receivedAt())) {
                                lockedParts++;
                                break;
                            }
                        }
                    }
                    if (e.method().equals("PATCH") && e.status() == 409) {
                        t.patch409s++;
                    }
                    t.lockConflicts += lockedParts;
                    if (e.status() == 400 && lockedParts > 0) {
                        t.rolledBack += e.parts() - lockedParts;
                    }
                }
                Set<Long> lockedIds = locked;
                for (int n : stockOuts) {
                    long id = FIRST_ID + n;
                    log.stream().filter(e -> e.status() / 100 == 2 && "0".equals(e.quantities().get(id))).map(RequestLog.Entry::at).min(
                            Instant::compareTo).ifPresent(at -> {
                                long landed = Duration.between(start, at).toMillis();
                                t.stockOutMs.add(landed);
                                t.stockOutShare.add((double) landed / Math.max(1, ms));
                                if (!lockedIds.contains(id)) {
                                    t.unlockedShare.add((double) landed / Math.max(1, ms));
                                }
                            });
                }
            }
            for (Map.Entry<Integer, Long> e : last.entrySet()) {
                if (rt.lands(e.getKey(), e.getValue())) {
                    t.landed++;
                }
            }
        }
        return t;
    }

    /** 5 % of the sandbox's items, from the cycle's changed ones, a stock-out ten times as likely as another item. */
    static Set<Long> lockFivePercent(SandboxErp erp, List<Integer> changed, Set<Integer> stockOuts, Random random) {
        int want = ITEMS / 20;
        Set<Long> ids = new HashSet<>();
        double total = 0;
        for (int n : changed) {
            total += stockOuts.contains(n) ? 10 : 1;
        }
        Set<Integer> picked = new HashSet<>();
        while (picked.size() < Math.min(want, changed.size())) {
            double x = random.nextDouble() * total;
            for (int n : changed) {
                x -= stockOuts.contains(n) ? 10 : 1;
                if (x <= 0) {
                    picked.add(n);
                    break;
                }
            }
        }
        for (int n : picked) {
            ids.add(FIRST_ID + n);
        }
        List<String> m1 = new ArrayList<>();
        List<String> m2 = new ArrayList<>();
        for (int n : picked) {
            (n % 2 == 1 ? m1 : m2).add(SandboxItems.itemNumber(n));
        }
        Set<Long> lockIds = new HashSet<>(erp.itemIds(m1, "M1"));
        lockIds.addAll(erp.itemIds(m2, "M2"));
        erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, Duration.ofMillis(LOCK_MS), lockIds);
        return lockIds;
    }

    /** What teams start with (bench/NaiveClient.java): one PATCH per row, no If-Match, 3 retries 1 s apart, 4 threads. */
    static void naive(SandboxErp erp, List<Integer> order, Map<Integer, Long> rows) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString("integration.user:sandbox".getBytes(StandardCharsets.UTF_8));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int n : order) {
            pool.submit(() -> {
                for (int attempt = 0; attempt <= 3; attempt++) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(erp.baseUrl() + SandboxErp.VERSION_ROOT + "/items/"
                            + (FIRST_ID + n))).header("Authorization", auth).header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"OnhandQuantity\":" + rows.get(n) + "}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 == 2) {
                        return null;
                    }
                    if (attempt < 3) {
                        Thread.sleep(1000);
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
    }

    static long percentile(List<Long> times) {
        if (times.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(times);
        sorted.sort(null);
        return sorted.get(Math.max(1, (int) Math.ceil(0.95 * sorted.size())) - 1);
    }

    static double percentileShare(List<Double> shares) {
        if (shares.isEmpty()) {
            return -1;
        }
        List<Double> sorted = new ArrayList<>(shares);
        sorted.sort(null);
        return sorted.get(Math.max(1, (int) Math.ceil(0.95 * sorted.size())) - 1);
    }
}
