package io.erpsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The sandbox against docs/erp-contract.md, one behaviour at a time, over real HTTP. */
class SandboxErpContractTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT = SandboxErp.VERSION_ROOT;
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("integration.user:sandbox".getBytes());

    SandboxErp erp;
    HttpClient http = HttpClient.newHttpClient();
    /** The sandbox's clock: real time, which a test moves on instead of waiting for it (job states, outages follow it). */
    final MovableClock clock = new MovableClock();

    @BeforeEach
    void start() throws Exception {
        SandboxErp.Config c = new SandboxErp.Config();
        c.items = 300;
        c.token = "t0ken";
        erp = new SandboxErp(c, clock).start();
    }

    @AfterEach
    void stop() {
        erp.close();
    }

    // ---- helpers --------------------------------------------------------------------------

    HttpResponse<String> send(String method, String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(erp.baseUrl() + path)).header("Authorization", AUTH);
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    HttpResponse<String> patch(long id, String body, String ifMatch) throws Exception {
        return ifMatch == null ? send("PATCH", ROOT + "/items/" + id, "application/json", body)
                : send("PATCH", ROOT + "/items/" + id, "application/json", body, "If-Match", ifMatch);
    }

    HttpResponse<String> batch(String body) throws Exception {
        return send("POST", ROOT, "application/vnd.oracle.adf.batch+json", body);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    long id(int n) {
        return SandboxItems.FIRST_ITEM_ID + n;
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    String changeIndicator(int n) throws Exception {
        return json(get(ROOT + "/items/" + id(n))).path("links").get(0).path("properties").path("changeIndicator").asText();
    }

    // ---- items ----------------------------------------------------------------------------

    @Test
    void a_single_read_carries_an_etag_equal_to_the_change_indicator() throws Exception {
        HttpResponse<String> r = get(ROOT + "/items/" + id(7));
        assertEquals(200, r.statusCode());
        String ci = json(r).path("links").get(0).path("properties").path("changeIndicator").asText();
        assertEquals("\"" + ci + "\"", r.headers().firstValue("ETag").orElseThrow());
        assertEquals("ITM-00007", json(r).path("ItemNumber").asText());
        assertEquals(404, get(ROOT + "/items/999").statusCode());
    }

    @Test
    void the_collection_filters_with_q_pages_with_limit_and_offset_and_cuts_limit_to_500() throws Exception {
        JsonNode page = json(get(ROOT + "/items?q=" + q("OrganizationCode = 'M1' and ItemNumber in ('ITM-00001','ITM-00002','ITM-00003')")
                + "&limit=500"));
        assertEquals(2, page.path("count").asInt(), "ITM-00002 belongs to M2");
        assertEquals(Set.of("ITM-00001", "ITM-00003"), Set.of(page.path("items").get(0).path("ItemNumber").asText(),
                page.path("items").get(1).path("ItemNumber").asText()));

        JsonNode all = json(get(ROOT + "/items?limit=1000"));
        assertEquals(300, all.path("limit").asInt() == 500 ? all.path("count").asInt() : -1, "limit is cut to 500");
        JsonNode second = json(get(ROOT + "/items?q=" + q("OrganizationCode = 'M2'") + "&limit=100&offset=100"));
        assertEquals(50, second.path("count").asInt());
        assertFalse(second.path("hasMore").asBoolean());
        assertTrue(json(get(ROOT + "/items?limit=10")).path("hasMore").asBoolean());
        assertEquals(25, json(get(ROOT + "/items")).path("count").asInt(), "default limit 25");

        JsonNode onlyData = json(get(ROOT + "/items?limit=1&onlyData=true")).path("items").get(0);
        assertTrue(onlyData.path("links").isMissingNode());
        assertEquals(400, get(ROOT + "/items?q=" + q("NoSuchField = 'x'")).statusCode());
    }

    @Test
    void patch_with_a_matching_if_match_updates_only_the_named_field_and_changes_the_etag() throws Exception {
        JsonNode before = json(get(ROOT + "/items/" + id(4)));
        String etag = get(ROOT + "/items/" + id(4)).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> r = patch(id(4), "{\"OnhandQuantity\": 321}", etag);

        assertEquals(200, r.statusCode());
        assertNotEquals(etag, r.headers().firstValue("ETag").orElseThrow());
        JsonNode after = json(get(ROOT + "/items/" + id(4)));
        assertEquals(321, after.path("OnhandQuantity").asInt());
        assertEquals(before.path("ItemDescription"), after.path("ItemDescription"));
        assertEquals(before.path("PlannerCode"), after.path("PlannerCode"));
        assertNotEquals(before.path("LastUpdateDate"), after.path("LastUpdateDate"));
    }

    @Test
    void patch_with_a_stale_if_match_is_refused_with_412_and_the_current_etag() throws Exception {
        String stale = get(ROOT + "/items/" + id(4)).headers().firstValue("ETag").orElseThrow();
        erp.editItem("ITM-00004", "M2", "ItemDescription", "changed by a planner");
        String current = get(ROOT + "/items/" + id(4)).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> r = patch(id(4), "{\"OnhandQuantity\": 1}", stale);

        assertEquals(412, r.statusCode());
        assertEquals(current, r.headers().firstValue("ETag").orElseThrow());
        assertNotEquals(1, json(get(ROOT + "/items/" + id(4))).path("OnhandQuantity").asInt());
    }

    @Test
    void invalid_payloads_unknown_items_and_wrong_media_types_are_refused() throws Exception {
        assertEquals(400, patch(id(1), "{\"OnhandQuantity\": -1}", null).statusCode());
        assertEquals(400, patch(id(1), "{\"OnhandQuantity\": \"many\"}", null).statusCode());
        assertEquals(400, patch(id(1), "{\"NoSuchField\": 1}", null).statusCode());
        assertEquals(400, patch(id(1), "{not json", null).statusCode());
        assertEquals(404, patch(999, "{\"OnhandQuantity\": 1}", null).statusCode());
        assertEquals(415, send("PATCH", ROOT + "/items/" + id(1), "text/plain", "{\"OnhandQuantity\": 1}").statusCode());
        assertEquals(415, send("POST", ROOT, "application/json", "{\"parts\": []}").statusCode());
        JsonNode err = json(patch(id(1), "{\"OnhandQuantity\": -1}", null));
        assertEquals("400", err.path("status").asText());
        assertTrue(err.path("o:errorDetails").get(0).path("detail").asText().contains("OnhandQuantity"));
    }

    @Test
    void put_replaces_the_whole_item_and_clears_fields_not_sent() throws Exception {
        HttpResponse<String> r = send("PUT", ROOT + "/items/" + id(2), "application/json", "{\"OnhandQuantity\": 5}");
        assertEquals(200, r.statusCode());
        JsonNode after = json(get(ROOT + "/items/" + id(2)));
        assertTrue(after.path("ItemDescription").isNull(), "why erp-sync never uses PUT");
        assertEquals("ITM-00002", after.path("ItemNumber").asText());
    }

    // ---- batch ----------------------------------------------------------------------------

    String part(String id, int n, String ifMatch, int qty) {
        return "{\"id\":\"" + id + "\",\"path\":\"/items/" + id(n) + "\",\"operation\":\"update\""
                + (ifMatch == null ? "" : ",\"ifMatch\":\"" + ifMatch + "\"") + ",\"payload\":{\"OnhandQuantity\":" + qty + "}}";
    }

    @Test
    void a_batch_with_a_locked_part_applies_nothing_and_lists_only_the_failed_part() throws Exception {
        erp.startJob("Cost Update", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(5), Set.of(id(12)));
        int before11 = json(get(ROOT + "/items/" + id(11))).path("OnhandQuantity").asInt();

        HttpResponse<String> r = batch("{\"parts\":[" + part("part1", 11, null, 1111) + "," + part("part2", 12, null, 1212) + ","
                + part("part3", 13, null, 1313) + "]}");

        assertEquals(400, r.statusCode());
        JsonNode parts = json(r).path("parts");
        assertEquals(1, parts.size());
        assertEquals("part2", parts.get(0).path("id").asText());
        assertEquals(409, parts.get(0).path("exception").path("status").asInt());
        assertEquals("RECORD_LOCKED", parts.get(0).path("exception").path("title").asText());
        assertEquals("Item ITM-00012 locked by user FUSION_BATCH", parts.get(0).path("exception").path("detail").asText());
        assertEquals(before11, json(get(ROOT + "/items/" + id(11))).path("OnhandQuantity").asInt(), "rolled back");
        assertNotEquals(1313, json(get(ROOT + "/items/" + id(13))).path("OnhandQuantity").asInt(), "rolled back");
    }

    @Test
    void a_part_with_a_stale_if_match_is_skipped_while_the_others_apply() throws Exception {
        String fresh = changeIndicator(21);
        String stale = changeIndicator(22);
        erp.editItem("ITM-00022", "M2", "ItemDescription", "someone else");

        HttpResponse<String> r = batch("{\"parts\":[" + part("part1", 21, fresh, 2121) + "," + part("part2", 22, stale, 2222) + "]}");

        assertEquals(200, r.statusCode());
        JsonNode parts = json(r).path("parts");
        assertTrue(parts.get(0).path("preconditionSucceeded").asBoolean());
        assertFalse(parts.get(1).path("preconditionSucceeded").asBoolean());
        assertEquals("someone else", parts.get(1).path("payload").path("ItemDescription").asText(), "the current item comes back");
        assertEquals(2121, json(get(ROOT + "/items/" + id(21))).path("OnhandQuantity").asInt());
        assertNotEquals(2222, json(get(ROOT + "/items/" + id(22))).path("OnhandQuantity").asInt());
    }

    @Test
    void a_batch_over_500_parts_is_refused_with_413() throws Exception {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            parts.add("{\"id\":\"p" + i + "\",\"path\":\"/items/" + id(1) + "\",\"operation\":\"get\"}");
        }
        assertEquals(413, batch("{\"parts\":[" + String.join(",", parts) + "]}").statusCode());
    }

    // ---- locks, jobs, faults --------------------------------------------------------------

    @Test
    void a_running_job_locks_its_items_until_it_ends_and_ess_shows_its_states() throws Exception {
        // a long job that has not started yet, then runs: WAIT and no lock, then RUNNING and the lock
        erp.startJob("Process Inventory Transactions", "FUSION_BATCH", Duration.ofMinutes(1), Duration.ofMinutes(5), Set.of(id(30)));
        assertEquals("WAIT", ess().get(0).path("state").asText());
        assertEquals(200, patch(id(30), "{\"OnhandQuantity\": 1}", null).statusCode(), "not locked before the job starts");
        clock.advance(Duration.ofMinutes(2));
        assertEquals("RUNNING", ess().get(0).path("state").asText());
        HttpResponse<String> locked = patch(id(30), "{\"OnhandQuantity\": 2}", null);
        assertEquals(409, locked.statusCode());
        assertEquals("RECORD_LOCKED", json(locked).path("error").asText());
        assertEquals("Item ITM-00030 locked by user FUSION_BATCH", json(locked).path("detail").asText());
        assertEquals("Process Inventory Transactions", ess().get(0).path("jobDefinitionName").asText());
        assertEquals("FUSION_BATCH", ess().get(0).path("submitter").asText());

        // a short job: once it has SUCCEEDED its item is free again
        erp.clearJobs();
        erp.startJob("Cost Update", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(1), Set.of(id(31)));
        assertEquals(409, patch(id(31), "{\"OnhandQuantity\": 3}", null).statusCode());
        clock.advance(Duration.ofMinutes(2));
        assertEquals("SUCCEEDED", ess().get(0).path("state").asText());
        assertEquals(200, patch(id(31), "{\"OnhandQuantity\": 3}", null).statusCode());
        assertFalse(ess().get(0).path("processEndTime").isNull());
    }

    JsonNode ess() throws Exception {
        return json(get(SandboxErp.ESS_PATH + "?limit=100")).path("items");
    }

    @Test
    void throttling_answers_carry_retry_after_in_seconds_or_as_an_http_date() throws Exception {
        erp.knobs().retryAfterSeconds = 3;
        erp.failNext(1, 429);
        HttpResponse<String> r = get(ROOT + "/items/" + id(1));
        assertEquals(429, r.statusCode());
        assertEquals("3", r.headers().firstValue("Retry-After").orElseThrow());

        erp.knobs().retryAfterAsDate = true;
        erp.failNext(1, 503);
        r = get(ROOT + "/items/" + id(1));
        assertEquals(503, r.statusCode());
        Instant at = ZonedDateTime.parse(r.headers().firstValue("Retry-After").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(Duration.between(Instant.now(), at).getSeconds() <= 3 && at.isAfter(Instant.now().minusSeconds(1)));

        erp.knobs().retryAfterSeconds = -1;
        erp.failNext(1, 503);
        assertTrue(get(ROOT + "/items/" + id(1)).headers().firstValue("Retry-After").isEmpty());
        assertEquals(200, get(ROOT + "/items/" + id(1)).statusCode());
    }

    @Test
    void past_throttle_above_requests_in_one_second_the_rest_of_that_second_gets_429() throws Exception {
        // why: a clock that stands, so the four requests of "one second" cannot straddle a real second's end
        MovableClock standing = new MovableClock(Instant.parse("2026-03-03T08:00:00.100Z"));
        erp.close();
        SandboxErp.Config c = new SandboxErp.Config();
        c.items = 300;
        c.token = "t0ken";
        erp = new SandboxErp(c, standing).start();
        erp.knobs().throttleAbove = 2;
        assertEquals(200, get(ROOT + "/items/" + id(1)).statusCode());
        assertEquals(200, get(ROOT + "/items/" + id(1)).statusCode());
        assertEquals(429, get(ROOT + "/items/" + id(1)).statusCode(), "the third in the second");
        assertEquals(429, get(ROOT + "/items/" + id(1)).statusCode());
        standing.advance(Duration.ofSeconds(1));
        assertEquals(200, get(ROOT + "/items/" + id(1)).statusCode(), "a new second");
        erp.knobs().throttleAbove = 0;
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get(ROOT + "/items/" + id(1)).statusCode(), "no limit");
        }
    }

    @Test
    void an_outage_answers_503_to_everything_until_it_ends() throws Exception {
        erp.knobs().outageUntil = clock.instant().plusSeconds(60);
        assertEquals(503, get(ROOT + "/items/" + id(1)).statusCode());
        assertEquals(503, get(SandboxErp.ESS_PATH).statusCode(), "everything, the scheduler service too");
        clock.advance(Duration.ofSeconds(61));
        assertEquals(200, get(ROOT + "/items/" + id(1)).statusCode());
    }

    @Test
    void another_session_changing_the_row_answers_409_resource_modified() throws Exception {
        erp.knobs().modifiedRate = 1.0;
        HttpResponse<String> r = patch(id(1), "{\"OnhandQuantity\": 9}", null);
        assertEquals(409, r.statusCode());
        assertEquals("The resource has been modified", json(r).path("title").asText());
    }

    @Test
    void another_user_editing_after_a_collection_read_bumps_the_etag() throws Exception {
        erp.knobs().editAfterReadRate = 1.0;
        String etag = json(get(ROOT + "/items?q=" + q("ItemNumber = 'ITM-00005'"))).path("items").get(0).path("links").get(0)
                .path("properties").path("changeIndicator").asText();
        erp.knobs().editAfterReadRate = 0;
        assertEquals(412, patch(id(5), "{\"OnhandQuantity\": 9}", "\"" + etag + "\"").statusCode());
    }

    @Test
    void run_time_knobs_are_settable_over_http() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(erp.baseUrl() + "/sandbox/knobs"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"latencyMs\": 5, \"throttleRate\": 0.25}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(5, erp.knobs().latencyMs);
        assertEquals(0.25, erp.knobs().throttleRate);
        HttpResponse<String> job = http.send(HttpRequest.newBuilder(URI.create(erp.baseUrl() + "/sandbox/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"ABC Analysis\", \"lockFraction\": 0.5, \"durationMs\": 60000}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, job.statusCode());
        int locked = json(job).path("lockedItemIds").size();
        assertTrue(locked > 100 && locked < 200, "about half of 300 items: " + locked);
    }

    @Test
    void the_admin_paths_tell_another_process_what_was_written_and_script_the_next_answer() throws Exception {
        assertEquals(200, patch(id(7), "{\"OnhandQuantity\": 42}", null).statusCode());

        JsonNode history = json(get("/sandbox/history"));
        assertEquals(1, history.size(), history.toString());
        assertEquals("ITM-00007", history.get(0).path("itemNumber").asText());
        assertEquals("OnhandQuantity", history.get(0).path("field").asText());
        assertEquals(42, history.get(0).path("value").asInt());
        assertEquals("client", history.get(0).path("by").asText());
        JsonNode writes = json(get("/sandbox/writes"));
        assertEquals(1, writes.size(), writes.toString());
        assertEquals("PATCH", writes.get(0).path("method").asText());
        assertEquals("42", writes.get(0).path("quantities").path(String.valueOf(id(7))).asText());
        JsonNode requests = json(get("/sandbox/requests"));
        assertEquals(1, requests.path("count").asInt(), "the PATCH; the admin paths are not ERP requests: " + requests);
        assertEquals(1, requests.path("writes").asInt());

        assertEquals(200, send("POST", "/sandbox/faults", "application/json", "{\"status\": 503, \"count\": 1}").statusCode());
        assertEquals(503, get(ROOT + "/items/" + id(7)).statusCode(), "the scripted fault answers the next ERP request");
        assertEquals(200, get(ROOT + "/items/" + id(7)).statusCode(), "and only that one");
        assertEquals(0, json(send("DELETE", "/sandbox/requests", null, null)).path("count").asInt());
        assertEquals(404, get("/sandbox/nothing").statusCode());
    }

    // ---- auth -----------------------------------------------------------------------------

    @Test
    void requests_without_valid_credentials_get_401_and_a_bearer_token_is_accepted() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(erp.baseUrl() + ROOT + "/items/" + id(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
        assertEquals(401, send("GET", ROOT + "/items/" + id(1), null, null, "Authorization", "Basic d3Jvbmc6d3Jvbmc=").statusCode());
        assertEquals(200, send("GET", ROOT + "/items/" + id(1), null, null, "Authorization", "Bearer t0ken").statusCode());
    }

    // ---- bills of materials ---------------------------------------------------------------

    @Test
    void updating_a_component_changes_its_etag_and_its_parent_structures_etag() throws Exception {
        long bill = SandboxStructures.FIRST_BILL_ID + 1;
        String parentEtag = get(ROOT + "/itemStructures/" + bill).headers().firstValue("ETag").orElseThrow();
        JsonNode comps = json(get(ROOT + "/itemStructures/" + bill + "/child/Component"));
        long comp = comps.path("items").get(0).path("ComponentSequenceId").asLong();
        String path = ROOT + "/itemStructures/" + bill + "/child/Component/" + comp;
        String compEtag = get(path).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> r = send("PATCH", path, "application/json", "{\"Quantity\": 7, \"Notes\": \"ECO-1\"}", "If-Match", compEtag);

        assertEquals(200, r.statusCode());
        assertNotEquals(compEtag, r.headers().firstValue("ETag").orElseThrow());
        assertNotEquals(parentEtag, get(ROOT + "/itemStructures/" + bill).headers().firstValue("ETag").orElseThrow());
        assertEquals(7, json(get(path)).path("Quantity").asInt());
        assertEquals(412, send("PATCH", path, "application/json", "{\"Quantity\": 8}", "If-Match", compEtag).statusCode());
    }

    // ---- concurrency ----------------------------------------------------------------------

    @Test
    void concurrent_conditional_updates_never_lose_an_increment() throws Exception {
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger conflicts = new AtomicInteger();
        patch(id(40), "{\"OnhandQuantity\": 0}", null);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    while (true) {
                        HttpResponse<String> read = get(ROOT + "/items/" + id(40));
                        int q = json(read).path("OnhandQuantity").asInt();
                        HttpResponse<String> w = patch(id(40), "{\"OnhandQuantity\": " + (q + 1) + "}",
                                read.headers().firstValue("ETag").orElseThrow());
                        if (w.statusCode() == 200) {
                            break;
                        }
                        assertEquals(412, w.statusCode());
                        conflicts.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertEquals(threads * perThread, json(get(ROOT + "/items/" + id(40))).path("OnhandQuantity").asInt());
        assertTrue(erp.requests().count(e -> e.status() == 412) == conflicts.get());
    }

    @Test
    void the_request_log_counts_what_was_answered() throws Exception {
        get(ROOT + "/items/" + id(1));
        patch(id(1), "{\"OnhandQuantity\": 1}", null);
        batch("{\"parts\":[" + part("part1", 3, null, 3) + "]}");
        assertEquals(3, erp.requests().entries().size());
        assertEquals(2, erp.requests().count(RequestLog.Entry::isWrite));
        assertEquals(1, erp.requests().entries().get(2).parts());
        assertNull(erp.requests().entries().get(0).query());
        Map<String, Object> item = erp.item("ITM-00003", "M1");
        assertEquals(3, ((Number) item.get("OnhandQuantity")).intValue());
    }
}
