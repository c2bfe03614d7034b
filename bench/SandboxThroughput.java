import io.erpsync.sandbox.SandboxErp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests per second the sandbox ERP answers on loopback with keep-alive, holding 100,000 items:
 * single reads, conditional PATCHes and 50-part batches, from concurrent clients.
 * Run: bench/sandbox-throughput.sh (after mvn -B -q package -DskipTests). Prints figures; never fails.
 */
public class SandboxThroughput {
    static final String ROOT = "/fscmRestApi/resources/11.13.18.05";
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("integration.user:sandbox".getBytes());

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        SandboxErp.Config c = new SandboxErp.Config();
        c.items = 100_000;
        try (SandboxErp erp = new SandboxErp(c).start()) {
            System.out.printf("sandbox: %d items, %d client threads, %d s per scenario, %s%n", erp.itemCount(), threads, seconds,
                    Runtime.version());
            run("GET single item", erp, threads, seconds, SandboxThroughput::read);
            run("GET + PATCH with If-Match", erp, threads, seconds, SandboxThroughput::readThenPatch);
            run("POST batch of 50 updates", erp, threads, seconds, SandboxThroughput::batch);
        }
    }

    interface Call {
        int go(HttpClient http, String base) throws Exception;
    }

    static void run(String name, SandboxErp erp, int threads, int seconds, Call call) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        LongAdder requests = new LongAdder();
        LongAdder errors = new LongAdder();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    try {
                        requests.add(call.go(http, erp.baseUrl()));
                    } catch (Exception e) {
                        errors.increment();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("%-28s %8.0f requests/s  (%d requests, %d errors)%n", name, requests.sum() / (double) seconds,
                requests.sum(), errors.sum());
    }

    static long someItem() {
        return 300100071600000L + 1 + ThreadLocalRandom.current().nextInt(100_000);
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b) throws Exception {
        return http.send(b.header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int read(HttpClient http, String base) throws Exception {
        send(http, HttpRequest.newBuilder(URI.create(base + ROOT + "/items/" + someItem())));
        return 1;
    }

    static int readThenPatch(HttpClient http, String base) throws Exception {
        long id = someItem();
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(URI.create(base + ROOT + "/items/" + id)));
        send(http, HttpRequest.newBuilder(URI.create(base + ROOT + "/items/" + id)).header("Content-Type", "application/json")
                .header("If-Match", r.headers().firstValue("ETag").orElse("*"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"OnhandQuantity\": 5}")));
        return 2;
    }

    static int batch(HttpClient http, String base) throws Exception {
        StringBuilder b = new StringBuilder("{\"parts\":[");
        for (int i = 0; i < 50; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"p").append(i).append("\",\"path\":\"/items/").append(someItem())
                    .append("\",\"operation\":\"update\",\"payload\":{\"OnhandQuantity\":").append(i).append("}}");
        }
        send(http, HttpRequest.newBuilder(URI.create(base + ROOT)).header("Content-Type", "application/vnd.oracle.adf.batch+json")
                .POST(HttpRequest.BodyPublishers.ofString(b.append("]}").toString())));
        return 1;
    }
}
