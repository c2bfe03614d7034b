import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference the cycle is measured against: an ideal client. It knows every target value (the
 * bench's data: item n, ITM-nnnnn, organization M1 for odd n and M2 for even, category n % categories (5 unless given),
 * quantity 1000 + n) and has no WMS, store, gate or bookkeeping. Its work is one unit per 500 items
 * of a segment (organization x category, in item order): one collection read of those items (their
 * ids and ETags, the read erp-sync sends), then batch writes of the batch size through the ERP's batch
 * endpoint, each part with its ifMatch. N threads share one queue of units (perfect work sharing).
 * Prints one JSON line: requests, landed, failed, ms (first request to last answer).
 * Usage: java -cp target/erp-sync.jar bench/IdealClient.java <erp-base-url> <changed items> <threads> <batch size> [<read size> [<categories>]]
 */
public class IdealClient {
    static final String ROOT = "/fscmRestApi/resources/11.13.18.05";
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("integration.user:sandbox".getBytes(StandardCharsets.UTF_8));
    static final String FIELDS = "ItemId,ItemNumber,OrganizationCode,OnhandQuantity";
    static final ObjectMapper JSON = new ObjectMapper();

    record Unit(String org, List<Integer> items) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int changed = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int readSize = args.length > 4 ? Integer.parseInt(args[4]) : 500;
        int categories = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

        // the units, segment by segment, 500 items each, queued round-robin over the segments (as rows arrive)
        Map<String, List<Integer>> segments = new LinkedHashMap<>();
        for (int n = 1; n <= changed; n++) {
            segments.computeIfAbsent(org(n) + "|" + n % categories, k -> new ArrayList<>()).add(n);
        }
        List<List<Unit>> perSegment = new ArrayList<>();
        for (var e : segments.entrySet()) {
            List<Unit> units = new ArrayList<>();
            List<Integer> items = e.getValue();
            for (int i = 0; i < items.size(); i += readSize) {
                units.add(new Unit(e.getKey().substring(0, e.getKey().indexOf('|')), items.subList(i, Math.min(items.size(), i + readSize))));
            }
            perSegment.add(units);
        }
        ConcurrentLinkedQueue<Unit> queue = new ConcurrentLinkedQueue<>();
        for (int round = 0; ; round++) {
            boolean any = false;
            for (List<Unit> units : perSegment) {
                if (round < units.size()) {
                    queue.add(units.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }

        AtomicInteger requests = new AtomicInteger();
        AtomicInteger landed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        Instant started = Instant.now();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                for (Unit u; (u = queue.poll()) != null; ) {
                    try {
                        work(http, base, u, batch, requests, landed, failed);
                    } catch (Exception e) {
                        failed.addAndGet(u.items().size());
                        System.err.println("unit of " + u.items().size() + " items in " + u.org() + " failed: " + e);
                    }
                }
            }, "ideal-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        long ms = Duration.between(started, Instant.now()).toMillis();
        System.out.printf("{\"requests\":%d,\"landed\":%d,\"failed\":%d,\"ms\":%d}%n", requests.get(), landed.get(), failed.get(), ms);
    }

    /** One unit: read the items' ids and ETags, then write them in batches with ifMatch. */
    static void work(HttpClient http, String base, Unit u, int batch, AtomicInteger requests, AtomicInteger landed, AtomicInteger failed)
            throws Exception {
        StringBuilder q = new StringBuilder("OrganizationCode = '").append(u.org()).append("' and ItemNumber in (");
        for (int i = 0; i < u.items().size(); i++) {
            q.append(i == 0 ? "" : ",").append('\'').append(itemNumber(u.items().get(i))).append('\'');
        }
        q.append(')');
        HttpResponse<String> read = send(http, HttpRequest.newBuilder(URI.create(base + ROOT + "/items?q=" + encode(q.toString())
                + "&limit=500&offset=0&fields=" + encode(FIELDS))).header("REST-Framework-Version", "2").GET(), requests);
        if (read.statusCode() != 200) {
            throw new IllegalStateException("read answered " + read.statusCode() + ": " + read.body());
        }
        Map<String, String[]> idAndEtag = new LinkedHashMap<>();
        for (JsonNode item : JSON.readTree(read.body()).path("items")) {
            String etag = null;
            for (JsonNode link : item.path("links")) {
                if ("self".equals(link.path("rel").asText()) && link.path("properties").has("changeIndicator")) {
                    etag = link.path("properties").path("changeIndicator").asText();
                }
            }
            idAndEtag.put(item.path("ItemNumber").asText(), new String[]{item.path("ItemId").asText(), etag});
        }
        for (int from = 0; from < u.items().size(); from += batch) {
            List<Integer> part = u.items().subList(from, Math.min(u.items().size(), from + batch));
            StringBuilder body = new StringBuilder("{\"parts\":[");
            int sent = 0;
            for (int n : part) {
                String[] ie = idAndEtag.get(itemNumber(n));
                if (ie == null || ie[1] == null) {
                    failed.incrementAndGet();
                    continue;
                }
                body.append(sent++ == 0 ? "" : ",").append("{\"id\":\"p").append(n).append("\",\"path\":\"/items/").append(ie[0])
                        .append("\",\"operation\":\"update\",\"ifMatch\":\"").append(ie[1]).append("\",\"payload\":{\"OnhandQuantity\":")
                        .append(1000 + n).append("}}");
            }
            body.append("]}");
            if (sent == 0) {
                continue;
            }
            HttpResponse<String> write = send(http, HttpRequest.newBuilder(URI.create(base + ROOT))
                    .header("Content-Type", "application/vnd.oracle.adf.batch+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())), requests);
            int ok = 0;
            if (write.statusCode() == 200) {
                for (JsonNode p : JSON.readTree(write.body()).path("parts")) {
                    if (!p.path("preconditionSucceeded").isBoolean() || p.path("preconditionSucceeded").asBoolean()) {
                        ok++;
                    }
                }
            }
            landed.addAndGet(ok);
            failed.addAndGet(sent - ok);
        }
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b, AtomicInteger requests) throws Exception {
        requests.incrementAndGet();
        return http.send(b.header("Authorization", AUTH).timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String itemNumber(int n) {
        return String.format("ITM-%05d", n);
    }

    static String org(int n) {
        return n % 2 == 1 ? "M1" : "M2";
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
