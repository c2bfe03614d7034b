package io.erpsync.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.SandboxErp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Health and Prometheus metrics on the management port, over real HTTP. */
class HealthAndMetricsTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(TestRuntime rt, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(rt.managementUrl(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    TestRuntime managed(SandboxErp erp) throws Exception {
        return new TestRuntime(erp).managed().set("camel.health.exposure-level", "full").set("management.health.erp-probe-cache", "0s");
    }

    static double metric(String scrape, String name, String labels) {
        String series = labels.isEmpty() ? Pattern.quote(name) + "(\\{\\})?" : Pattern.quote(name) + "\\{" + Pattern.quote(labels) + ",?\\}";
        Matcher m = Pattern.compile("^" + series + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(scrape);
        if (!m.find()) {
            throw new AssertionError(name + "{" + labels + "} not in the scrape:\n" + scrape.lines().filter(l -> l.startsWith("erp_sync")).toList());
        }
        return Double.parseDouble(m.group(m.groupCount()));
    }

    @Test
    void metrics_match_the_sync_run_row_of_the_same_cycle() throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(100); TestRuntime rt = managed(erp).start()) {
            for (int n = 1; n <= 12; n++) {
                rt.wmsItem(n, n % 3 == 0 ? rt.erpQuantity(n).longValue() : 700 + n);
            }
            rt.wms("NO-SUCH-ITEM", "M1", "TOOLS", 1);
            rt.runCycle();
            CycleSummary row = rt.runs().get(0);

            String scrape = get(rt, "/observe/metrics").body();

            assertEquals(row.updated(), metric(scrape, "erp_sync_items_total", "outcome=\"updated\""));
            assertEquals(row.unchanged(), metric(scrape, "erp_sync_items_total", "outcome=\"unchanged\""));
            assertEquals(row.parked(), metric(scrape, "erp_sync_items_total", "outcome=\"parked\""));
            assertEquals(row.requests(), metric(scrape, "erp_sync_requests_total", ""));
            assertEquals(1.0, metric(scrape, "erp_sync_cycles_total", "status=\"COMPLETED_WITH_PARKED\""));
            assertEquals(1.0, metric(scrape, "erp_sync_exception_queue_depth", ""));
            assertEquals(0.0, metric(scrape, "erp_sync_breaker_state", ""));
            assertEquals(10000.0, metric(scrape, "erp_sync_erp_rate", ""), "a clean ERP: the rate in force is the maximum");
            assertEquals(8, row.updated());
            assertEquals(4, row.unchanged());
        }
    }

    @Test
    void liveness_data_name_this_node_the_node_of_the_last_run_and_what_runs_now() throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(10); TestRuntime rt = managed(erp).start()) {
            rt.wmsItem(1, 901);
            long run = rt.runCycle().runId();

            HttpResponse<String> live = get(rt, "/observe/health?exposureLevel=full&data=true");

            assertEquals(200, live.statusCode(), live.body());
            String node = ProcessHandle.current().pid() + "@";
            assertTrue(live.body().contains("\"node\":\"" + node), live.body());
            assertTrue(live.body().contains("\"lastRun\":\"run " + run + " SUCCEEDED on " + node), live.body());
            assertTrue(live.body().contains("\"runningNow\":\"none\""), live.body());
            HttpResponse<String> liveOnly = get(rt, "/observe/health/live?exposureLevel=full");
            assertTrue(liveOnly.body().contains("\"name\":\"cycles\""), liveOnly.body());
        }
    }

    @Test
    void liveness_goes_down_when_the_last_cycles_all_failed() throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(10); TestRuntime rt = managed(erp).set("management.health.failed-cycles", "2").start()) {
            rt.wmsItem(1, 902);
            rt.runCycle();
            assertEquals(200, get(rt, "/observe/health/live").statusCode());
            try (Connection c = DriverManager.getConnection(rt.storeUrl)) {
                for (int i = 0; i < 2; i++) {
                    c.createStatement().execute("INSERT INTO sync_run (trigger_kind, status, started_at, message) "
                            + "VALUES ('SCHEDULE', 'FAILED', CURRENT_TIMESTAMP, 'the WMS database cannot be reached')");
                }
            }

            HttpResponse<String> down = get(rt, "/observe/health/live");

            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("the last 2 cycles failed: the WMS database cannot be reached"), down.body());
        }
    }

    @Test
    void readiness_goes_down_when_the_erp_goes_away() throws Exception {
        SandboxErp erp = TestRuntime.sandbox(10);
        try (TestRuntime rt = managed(erp).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> get(rt, "/observe/health/ready").statusCode() == 200);
            erp.close();
            HttpResponse<String> down = get(rt, "/observe/health/ready");
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("the ERP cannot be reached"), down.body());
        }
    }

    @Test
    void readiness_goes_down_when_the_store_goes_away() throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(10); TestRuntime rt = managed(erp).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> get(rt, "/observe/health/ready").statusCode() == 200);
            try (Connection c = DriverManager.getConnection(rt.storeUrl)) {
                c.createStatement().execute("SHUTDOWN");
            }
            HttpResponse<String> down = get(rt, "/observe/health/ready");
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("store"), down.body());
        }
    }
}
