import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline: what teams start with. It loads the item ids once, then sends one PATCH per changed
 * WMS row (no If-Match, no batching, no pre-check read, no job gate), retrying a failed PATCH up to 3
 * times one second apart, on a fixed pool of threads. Prints one JSON line: requests, landed, failed.
 * Usage: java -cp target/erp-sync.jar bench/NaiveClient.java <erp-base-url> <wms-jdbc-url> <threads>
 */
public class NaiveClient {
    static final String ROOT = "/fscmRestApi/resources/11.13.18.05";
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("integration.user:sandbox".getBytes(StandardCharsets.UTF_8));
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String wms = args[1];
        int threads = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger requests = new AtomicInteger();
        Map<String, Long> ids = new HashMap<>();
        for (int offset = 0; ; offset += 500) {
            HttpResponse<String> r = send(http, HttpRequest.newBuilder(URI.create(base + ROOT + "/items?onlyData=true&limit=500&offset=" + offset
                    + "&fields=" + URLEncoder.encode("ItemId,ItemNumber,OrganizationCode", StandardCharsets.UTF_8))).GET(), requests);
            JsonNode page = JSON.readTree(r.body());
            for (JsonNode item : page.path("items")) {
                ids.put(item.path("ItemNumber").asText() + "|" + item.path("OrganizationCode").asText(), item.path("ItemId").asLong());
            }
            if (page.path("items").isEmpty() || !page.path("hasMore").asBoolean()) {
                break;
            }
        }
        List<String[]> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(wms); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT item_number, organization_code, quantity FROM stock_level ORDER BY updated_at")) {
            while (rs.next()) {
                rows.add(new String[]{rs.getString(1), rs.getString(2), rs.getBigDecimal(3).toPlainString()});
            }
        }
        AtomicInteger landed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (String[] row : rows) {
            pool.submit(() -> {
                Long id = ids.get(row[0] + "|" + row[1]);
                if (id == null) {
                    failed.incrementAndGet();
                    return null;
                }
                for (int attempt = 0; attempt <= 3; attempt++) {
                    try {
                        HttpResponse<String> r = send(http, HttpRequest.newBuilder(URI.create(base + ROOT + "/items/" + id))
                                .header("Content-Type", "application/json")
                                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"OnhandQuantity\":" + row[2] + "}")), requests);
                        if (r.statusCode() / 100 == 2) {
                            landed.incrementAndGet();
                            return null;
                        }
                    } catch (Exception e) {
                        // counted below as a failed attempt
                    }
                    if (attempt < 3) {
                        Thread.sleep(1000);
                    }
                }
                failed.incrementAndGet();
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.DAYS);
        System.out.printf("{\"requests\":%d,\"landed\":%d,\"failed\":%d}%n", requests.get(), landed.get(), failed.get());
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b, AtomicInteger requests) throws Exception {
        requests.incrementAndGet();
        return http.send(b.header("Authorization", AUTH).timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
