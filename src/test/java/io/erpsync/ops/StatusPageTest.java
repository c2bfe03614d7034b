package io.erpsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.SandboxTest;
import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.SyncRuns;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** The status page's data and its replay over plain HTTP, with and without management authentication. */
class StatusPageTest extends SandboxTest {
    static final String USER = "operator";
    static final String PASSWORD = "s3cret-for-tests";
    static final int LOCKED = 11;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    @Override
    protected int sandboxItems() {
        return 50;
    }

    @BeforeEach
    void managed() throws Exception {
        rt.managed().set("sync.retry.lock-delays", "20ms");
    }

    /** Management authentication as the README describes it: a Vert.x properties file of users. */
    static TestRuntime withManagementAuth(TestRuntime rt, Path dir) throws Exception {
        Path users = dir.resolve("management-users.properties");
        Files.writeString(users, "user." + USER + " = " + PASSWORD + ",operator\nrole.operator = *\n");
        return rt.set("camel.management.authentication-enabled", "true").set("camel.management.basic-properties-file", users.toString())
                .set("camel.management.authentication-path", "/status/*");
    }

    /** A real parked item: item 11 locked by FUSION_BATCH past the retry budget; the lock is then released. */
    static ExceptionRow parkLockedItem(TestRuntime rt, SandboxErp erp) throws Exception {
        rt.wmsItem(1, 111);
        rt.wmsItem(LOCKED, 222);
        erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(5),
                erp.itemIds(List.of(String.format("ITM-%05d", LOCKED)), "M1"));
        rt.runCycle();
        List<ExceptionRow> open = rt.exceptions("OPEN");
        assertEquals(1, open.size(), "the planted exception: " + open);
        erp.clearJobs();
        rt.wmsItem(LOCKED, 333);
        return open.get(0);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rt.managementUrl(path))).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_page_shows_cycles_the_heat_map_and_the_parked_item() throws Exception {
        rt.start();
        ExceptionRow planted = parkLockedItem(rt, erp);

        HttpResponse<String> page = send("GET", "/status/");
        JsonNode overview = json.readTree(send("GET", "/status/api/overview").body());
        JsonNode rows = json.readTree(send("GET", "/status/api/exceptions?class=RECORD_LOCKED").body()).get("rows");

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"status.js\""), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        JsonNode cycle = overview.get("cycles").get(overview.get("cycles").size() - 1);
        assertEquals(rt.runs().get(0).runId(), cycle.get("run").asLong());
        assertEquals(1, cycle.get("updated").asInt());
        assertTrue(cycle.get("node").asText().startsWith(ProcessHandle.current().pid() + "@"), "the node that ran it: " + cycle);
        assertEquals(1, cycle.get("parked").asInt());
        assertEquals("CLOSED", overview.get("breaker").asText());
        assertEquals(10000, overview.get("pressure").get("erpRate").asInt(), "no 429 met: the rate in force is the maximum");
        assertEquals(0, overview.get("pressure").get("batchSizes").size(), "fixed batch sizes (sync.batch.adaptive=false)");
        assertEquals(1, overview.get("openByClass").get("RECORD_LOCKED").asInt());
        long heat = 0;
        for (JsonNode day : overview.get("report").get("heatmap")) {
            for (JsonNode hour : day) {
                heat += hour.asLong();
            }
        }
        assertEquals(overview.get("report").get("byOwner").get("FUSION_BATCH").asLong(), heat, "every lock of the cycle is in the heat map");
        assertTrue(heat >= 2, "the batch and the single PATCHes met the lock: " + heat);
        assertEquals(1, rows.size());
        assertEquals(planted.id(), rows.get(0).get("id").asLong());
        assertEquals("FUSION_BATCH", rows.get(0).get("lockOwner").asText());
        assertEquals(0, json.readTree(send("GET", "/status/api/exceptions?class=UNKNOWN_ITEM").body()).get("rows").size());
        assertEquals(400, send("GET", "/status/api/exceptions?class=NO_SUCH_CLASS").statusCode());
    }

    @Test
    void without_management_auth_the_page_refuses_to_replay_and_nothing_reaches_the_erp() throws Exception {
        rt.start();
        ExceptionRow planted = parkLockedItem(rt, erp);
        int requestsBefore = erp.requests().entries().size();
        BigDecimal before = rt.erpQuantity(LOCKED);

        JsonNode right = json.readTree(send("GET", "/status/api/overview").body()).get("replay");
        HttpResponse<String> replay = send("POST", "/status/api/replay?filter=id=" + planted.id(), StatusPage.REPLAY_HEADER, "replay");

        assertFalse(right.get("allowed").asBoolean());
        assertTrue(right.get("why").asText().contains("camel.management.authentication-enabled"), right.toString());
        assertEquals(403, replay.statusCode());
        assertTrue(replay.body().contains("camel.management.authentication-enabled"), replay.body());
        assertEquals("OPEN", rt.exceptions(null).get(0).status());
        assertEquals(requestsBefore, erp.requests().entries().size(), "no request reached the ERP");
        assertEquals(before, rt.erpQuantity(LOCKED), "the item was not replayed");
    }

    @Test
    void with_management_auth_a_replay_by_id_resolves_the_row_with_the_newest_wms_quantity(@TempDir Path dir) throws Exception {
        withManagementAuth(rt, dir).start();
        ExceptionRow planted = parkLockedItem(rt, erp);
        String auth = basic(USER, PASSWORD);
        String path = "/status/api/replay?filter=id=" + planted.id();

        assertEquals(401, send("POST", path, StatusPage.REPLAY_HEADER, "replay").statusCode(), "no credentials");
        assertEquals(401, send("GET", "/status").statusCode(), "the page itself is behind the authentication path");
        assertEquals(200, send("GET", "/observe/health/live").statusCode(), "outside /status/* no credentials are asked");
        assertEquals(401, send("POST", path, "Authorization", basic(USER, "wrong"), StatusPage.REPLAY_HEADER, "replay").statusCode());
        assertEquals(403, send("POST", path, "Authorization", auth).statusCode(), "without the page's header (a cross-site form)");
        assertEquals(400, send("POST", "/status/api/replay?filter=color=red", "Authorization", auth, StatusPage.REPLAY_HEADER, "replay")
                .statusCode());
        assertEquals("OPEN", rt.exceptions(null).get(0).status(), "no refused request replayed anything");
        JsonNode right = json.readTree(send("GET", "/status/api/overview", "Authorization", auth).body()).get("replay");
        HttpResponse<String> replay = send("POST", path, "Authorization", auth, StatusPage.REPLAY_HEADER, "replay");

        assertTrue(right.get("allowed").asBoolean());
        assertEquals(USER, right.get("user").asText());
        assertEquals(200, replay.statusCode(), replay.body());
        JsonNode summary = json.readTree(replay.body()).get("summary");
        assertEquals(1, summary.get("updated").asInt());
        assertEquals(USER, json.readTree(replay.body()).get("by").asText());
        assertEquals("RESOLVED", rt.exceptions(null).get(0).status());
        assertTrue(rt.lands(LOCKED, 333), "the replay re-read the WMS");
        assertEquals("REPLAY", rt.bean("syncRuns", SyncRuns.class).history(1).get(0).trigger());
    }

    @Test
    void a_viewer_sees_the_page_but_cannot_replay(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("management-users.properties");
        Files.writeString(users, "user.victor = victor-secret,viewer\nrole.viewer = read\n");
        rt.set("camel.management.authentication-enabled", "true").set("camel.management.basic-properties-file", users.toString())
                .set("camel.management.authentication-path", "/status/*").start();
        ExceptionRow planted = parkLockedItem(rt, erp);
        int requestsBefore = erp.requests().entries().size();
        String auth = basic("victor", "victor-secret");

        JsonNode right = json.readTree(send("GET", "/status/api/overview", "Authorization", auth).body()).get("replay");
        HttpResponse<String> replay = send("POST", "/status/api/replay?filter=id=" + planted.id(), "Authorization", auth,
                StatusPage.REPLAY_HEADER, "replay");

        assertFalse(right.get("allowed").asBoolean());
        assertTrue(right.get("why").asText().contains("victor is a viewer"), right.toString());
        assertEquals(403, replay.statusCode());
        assertTrue(send("GET", "/observe/metrics").body().lines().anyMatch(l -> l.startsWith("erp_sync_management_actions_total{")
                && l.contains("operation=\"replayExceptions\"") && l.contains("outcome=\"refused\"") && l.contains("via=\"status-page\"")
                && !l.endsWith(" 0.0")), "the refusal is counted");
        assertEquals("OPEN", rt.exceptions(null).get(0).status());
        assertEquals(requestsBefore, erp.requests().entries().size(), "no request reached the ERP");
    }

    @Test
    void with_authentication_on_jolokia_the_status_page_is_behind_it_too(@TempDir Path dir) throws Exception {
        withManagementAuth(rt, dir).set("camel.management.authentication-path", "/observe/jolokia/*").start();

        assertEquals(401, send("GET", "/status/").statusCode(), "the page");
        assertEquals(401, send("GET", "/status/api/overview").statusCode(), "its data");
        assertEquals(401, send("GET", "/observe/jolokia/version").statusCode(), "Jolokia, the path Camel protects");
        assertEquals(200, send("GET", "/status/api/overview", "Authorization", basic(USER, PASSWORD)).statusCode());
        assertEquals(200, send("GET", "/observe/health/live").statusCode(), "health stays open for probes");
    }

    @Test
    void a_replay_pressed_while_a_cycle_runs_waits_for_it_and_then_lands(@TempDir Path dir) throws Exception {
        withManagementAuth(rt, dir).start();
        ExceptionRow planted = parkLockedItem(rt, erp);
        rt.wmsItem(2, 444);
        erp.faults().hold(Faults.Match.WRITE, 1);
        CompletableFuture<CycleSummary> cycle =
                CompletableFuture.supplyAsync(rt::runCycle);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> erp.faults().held() == 1);

        CompletableFuture<HttpResponse<String>> replay = CompletableFuture.supplyAsync(() -> {
            try {
                return send("POST", "/status/api/replay?filter=id=" + planted.id(), "Authorization", basic(USER, PASSWORD),
                        StatusPage.REPLAY_HEADER, "replay");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        // the replay waits while the cycle's write is held: no skipped run is recorded
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> !replay.isDone());
        erp.faults().release(false);

        assertTrue(cycle.get(30, TimeUnit.SECONDS).updated() >= 1);
        HttpResponse<String> answer = replay.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode summary = json.readTree(answer.body()).get("summary");
        assertEquals("SUCCEEDED", summary.get("status").asText(), answer.body());
        // the cycle read the item's newer row too, so whichever run came first landed it
        assertTrue(rt.lands(LOCKED, 333));
        assertEquals("SUPERSEDED", rt.exceptions(null).stream().filter(r -> r.id() == planted.id()).findFirst().orElseThrow().status());
        assertTrue(rt.runs().stream().noneMatch(r -> CycleSummary.SKIPPED_OVERLAP.equals(r.status())), rt.runs().toString());
    }

    @Test
    void when_the_store_does_not_answer_the_page_gets_a_503_that_says_which_read_failed() throws Exception {
        rt.start();
        try (Connection c = DriverManager.getConnection(rt.storeUrl)) {
            c.createStatement().execute("SHUTDOWN");
        }

        HttpResponse<String> overview = send("GET", "/status/api/overview");
        HttpResponse<String> rows = send("GET", "/status/api/exceptions");

        assertEquals(503, overview.statusCode());
        assertTrue(json.readTree(overview.body()).get("error").asText().startsWith("reading sync_run"), overview.body());
        assertEquals(503, rows.statusCode());
        assertTrue(json.readTree(rows.body()).get("error").asText().startsWith("reading the exception queue"), rows.body());
    }
}
