package io.erpsync.target.storefront;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.conflict.AdaptiveRate;
import io.erpsync.core.CycleSummary;
import io.erpsync.core.FailureClass;
import io.erpsync.sandbox.SandboxItems;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.Watermarks;
import io.erpsync.sync.CycleRunner;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One WMS feed to two targets (targets = erp,storefront): the real runtime against the sandbox ERP and
 * the storefront sandbox over HTTP. Each target ends equal to the warehouse under its own kind of
 * contention, and a storefront in trouble never costs the ERP a row.
 */
class TwoTargetsTest extends TwoTargetsSandbox {
    static final int ITEMS = 2000;

    @Override
    protected int items() {
        return ITEMS;
    }

    @BeforeEach
    void lockDelays() {
        rt.set("sync.retry.lock-delays", "100ms,200ms,300ms");
    }

    static long wanted(int n) {
        return 1000 + n;
    }

    void changeAll() throws Exception {
        for (int n = 1; n <= ITEMS; n++) {
            rt.wmsItem(n, wanted(n));
        }
    }

    Map<String, CycleSummary> cycle() {
        return CycleRunner.runCycles(rt.context(), "TEST");
    }

    boolean onStorefront(int n) {
        return sf.amount(list(n), SandboxItems.itemNumber(n)) == wanted(n);
    }

    long storefrontDataRequests() {
        return sf.log().count(e -> !e.path().equals(SandboxStorefront.TOKEN_PATH));
    }

    final ObjectMapper json = new ObjectMapper();

    String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rt.managementUrl(path))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    List<ExceptionRow> open(String target) {
        return rt.bean("exceptionQueue", ExceptionQueue.class).forTarget(target).list("OPEN");
    }

    @Test
    void both_targets_end_equal_to_the_warehouse_with_one_read_and_one_write_batch_per_50_on_the_storefront() throws Exception {
        rt.start();
        changeAll();

        Map<String, CycleSummary> runs = cycle();

        assertEquals(List.of("erp", "storefront"), List.copyOf(runs.keySet()));
        for (CycleSummary s : runs.values()) {
            assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
            assertEquals(ITEMS, s.updated(), s.toString());
        }
        for (int n = 1; n <= ITEMS; n++) {
            assertTrue(rt.lands(n, wanted(n)), "ERP item " + n);
            assertTrue(onStorefront(n), "storefront record " + n);
        }
        double perItem = (double) storefrontDataRequests() / ITEMS;
        assertTrue(perItem <= 0.045, "storefront requests per changed item: " + perItem);
        assertEquals(runs.get("storefront").requests(), storefrontDataRequests(), "the runtime counts the data requests the storefront received");
        assertEquals(1, sf.log().tokenRequests(), "one token for the whole cycle");
        assertEquals(0, sf.log().puts());
        assertEquals(0, sf.log().writesWithoutState());
        assertEquals(0, sf.log().foreignFields());
        try (Connection c = rt.store().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT target, COUNT(*) FROM sync_run GROUP BY target ORDER BY target")) {
            Map<String, Integer> byTarget = new HashMap<>();
            while (rs.next()) {
                byTarget.put(rs.getString(1), rs.getInt(2));
            }
            assertEquals(Map.of("erp", 1, "storefront", 1), byTarget, "one ledger row per target");
        }
        Watermarks marks = new Watermarks(rt.store());
        assertEquals(marks.get("wms"), marks.get("wms:storefront"), "each target's own watermark, both past every row");

        // nothing changed since: neither target is written again
        sf.log().clear();
        Map<String, CycleSummary> again = cycle();
        assertEquals(0, again.get("storefront").read());
        assertEquals(0, storefrontDataRequests());
    }

    @Test
    void orders_racing_on_5_percent_of_the_records_every_record_lands_and_no_foreign_field_is_sent() throws Exception {
        rt.start();
        changeAll();
        // checkout places an order on 5 % of the records every 200 ms (each a new _resource_state); a merchant edits other
        // fields. Why not faster: at every 20 ms each record took 2.5 orders a second, and under CI load a record met a
        // new state in each of its three re-read rounds and was parked (seen once); the bench runs that harsher race.
        sf.placeOrdersEvery(200, 0.05, 7);
        sf.editOtherFieldsEvery(50, 0.02, 11);
        sf.writeMillis(2);

        Map<String, CycleSummary> runs = cycle();

        CycleSummary s = runs.get("storefront");
        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertTrue(s.conflicts() > 0, "orders changed states between our reads and writes: " + s);
        for (int n = 1; n <= ITEMS; n++) {
            assertTrue(onStorefront(n), "storefront record " + n);
            assertTrue(rt.lands(n, wanted(n)), "ERP item " + n);
        }
        assertEquals(0, sf.log().foreignFields(), "only allocation.amount and the state were ever sent");
        assertEquals(0, sf.log().puts());
        assertEquals(List.of(), open("storefront"));
    }

    @Test
    void records_busy_with_a_job_are_parked_with_their_holder_and_every_other_record_lands() throws Exception {
        rt.managed().start();
        changeAll();
        // 2 %: every 50th record is written by an import job for longer than the cycle
        for (int n = 50; n <= ITEMS; n += 50) {
            sf.holdRecord(list(n), SandboxItems.itemNumber(n), "InventoryImportJob");
        }

        Map<String, CycleSummary> runs = cycle();

        CycleSummary s = runs.get("storefront");
        assertEquals(ITEMS / 50, s.parked(), s.toString());
        assertEquals(ITEMS - ITEMS / 50, s.updated(), s.toString());
        List<ExceptionRow> parked = open("storefront");
        assertEquals(ITEMS / 50, parked.size());
        for (ExceptionRow r : parked) {
            assertEquals(FailureClass.RECORD_LOCKED.name(), r.failureClass(), r.toString());
            assertEquals("InventoryImportJob", r.lockOwner(), r.toString());
        }
        for (int n = 1; n <= ITEMS; n++) {
            assertTrue(rt.lands(n, wanted(n)), "ERP item " + n);
            if (n % 50 != 0) {
                assertTrue(onStorefront(n), "storefront record " + n);
            }
        }
        assertEquals(List.of(), open("erp"), "the ERP's exception rows are its own");
        assertEquals(CircuitBreaker.State.CLOSED, rt.bean("storefrontBreaker", UpdateBreaker.class).state(),
                "busy records are the storefront's normal life, not an outage");

        // the status page: a section per target, and each target's exception rows
        JsonNode overview = json.readTree(get("/status/api/overview"));
        JsonNode targets = overview.get("targets");
        assertEquals(2, targets.size(), overview.toString());
        assertEquals("erp", targets.get(0).get("name").asText());
        assertEquals(0, targets.get(0).get("openByClass").size());
        assertEquals("storefront", targets.get(1).get("name").asText());
        assertEquals(ITEMS / 50, targets.get(1).get("openByClass").get("RECORD_LOCKED").asInt());
        assertEquals("CLOSED", targets.get(1).get("breaker").asText());
        assertEquals(s.runId(), targets.get(1).get("cycles").get(0).get("run").asLong());
        JsonNode rows = json.readTree(get("/status/api/exceptions?target=storefront")).get("rows");
        assertEquals(ITEMS / 50, rows.size());
        assertEquals("InventoryImportJob", rows.get(0).get("lockOwner").asText());
        assertEquals(0, json.readTree(get("/status/api/exceptions")).get("rows").size(), "the first target's rows by default");

        // the job ends: a replay of the storefront's rows lands them
        for (int n = 50; n <= ITEMS; n += 50) {
            sf.releaseRecord(list(n), SandboxItems.itemNumber(n));
        }
        CycleSummary replay = CycleRunner.runReplay(rt.context(), "all", "storefront");
        assertEquals(ITEMS / 50, replay.updated(), replay.toString());
        for (int n = 50; n <= ITEMS; n += 50) {
            assertTrue(onStorefront(n), "storefront record " + n);
        }
        assertEquals(List.of(), open("storefront"));
    }

    @Test
    void the_storefront_down_for_the_whole_cycle_costs_the_erp_nothing_and_its_rows_land_in_the_next_cycle() throws Exception {
        rt.set("sync.retry.max-retries", "0").set("sync.breaker.window", "100").set("sync.breaker.minimum-updates", "100")
                .set("sync.breaker.open-duration", "1s").set("sync.breaker.probes", "10").start();
        changeAll();
        sf.load(95);

        Map<String, CycleSummary> during = cycle();

        CycleSummary e = during.get("erp");
        assertEquals(CycleSummary.SUCCEEDED, e.status(), e.toString());
        for (int n = 1; n <= ITEMS; n++) {
            assertTrue(rt.lands(n, wanted(n)), "ERP item " + n);
        }
        CycleSummary s = during.get("storefront");
        assertEquals(CycleSummary.DEFERRED, s.status(), s.toString());
        assertTrue(s.deferred() > ITEMS / 2, "once the breaker opened the rest waits: " + s);
        assertEquals(ITEMS, s.parked() + s.deferred(), s.toString());
        Watermarks marks = new Watermarks(rt.store());
        Instant erpMark = marks.get("wms").orElseThrow();
        assertTrue(marks.get("wms:storefront").map(m -> m.isBefore(erpMark)).orElse(true), "the storefront's watermark stays below its rows");
        UpdateBreaker breaker = rt.bean("storefrontBreaker", UpdateBreaker.class);
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertEquals(CircuitBreaker.State.CLOSED, rt.bean("erpBreaker", UpdateBreaker.class).state(), "each target has its own breaker");

        sf.load(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.state() == CircuitBreaker.State.HALF_OPEN);
        Map<String, CycleSummary> after = cycle();

        assertEquals(0, after.get("erp").read(), "the ERP's watermark moved past every row");
        CycleSummary next = after.get("storefront");
        // from below the oldest deferred row: the deferred rows, and the parked ones among them, which close their rows
        assertTrue(next.updated() >= s.deferred(), next.toString());
        assertEquals(CycleSummary.SUCCEEDED, next.status(), next.toString());
        int stillOpen = open("storefront").size();
        CycleSummary replay = CycleRunner.runReplay(rt.context(), "target=storefront");
        assertEquals(stillOpen, replay.updated(), replay.toString());
        assertEquals(List.of(), open("storefront"));
        for (int n = 1; n <= ITEMS; n++) {
            assertTrue(onStorefront(n), "storefront record " + n);
        }
    }

    @Test
    void a_token_revoked_mid_cycle_costs_one_token_request() throws Exception {
        rt.start();
        changeAll();
        CompletableFuture<Void> revoke = CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(1)).until(() -> storefrontDataRequests() >= 20);
            sf.revokeTokens();
        });

        Map<String, CycleSummary> runs = cycle();
        revoke.join();

        assertEquals(CycleSummary.SUCCEEDED, runs.get("storefront").status(), runs.get("storefront").toString());
        assertEquals(2, sf.log().tokenRequests(), "the first token, and one more after the revocation");
        for (int n = 1; n <= ITEMS; n++) {
            assertTrue(onStorefront(n), "storefront record " + n);
        }
    }

    @Test
    void a_client_the_token_endpoint_refuses_fails_the_storefronts_cycle_loudly_and_the_erps_lands() throws Exception {
        rt.set("storefront.client-secret", "wrong").start();
        changeAll();

        Map<String, CycleSummary> runs = cycle();

        assertEquals(CycleSummary.SUCCEEDED, runs.get("erp").status());
        CycleSummary s = runs.get("storefront");
        assertEquals(CycleSummary.FAILED, s.status(), s.toString());
        assertTrue(s.message().contains("storefront.client-id and its secret"), s.message());
        assertEquals(0, s.parked(), "nothing item by item can help: nothing is parked");
        assertEquals(List.of(), open("storefront"));
        assertEquals(0, storefrontDataRequests(), "no data request without a token");
        assertTrue(new Watermarks(rt.store()).get("wms:storefront").isEmpty(), "the storefront's watermark did not move");
        for (int n = 1; n <= ITEMS; n++) {
            assertTrue(rt.lands(n, wanted(n)), "ERP item " + n);
        }
    }

    @Test
    void throttling_and_a_loaded_storefront_lower_its_own_rate_and_every_record_still_lands() throws Exception {
        rt.set("storefront.max-requests-per-second", "40").set("erp.rate.floor", "5").start();
        for (int n = 1; n <= 100; n++) {
            rt.wmsItem(n, wanted(n));
        }
        // the first three requests are refused with Retry-After, and every answer says the load is high
        sf.throttleNext(3, "1");
        sf.load(85);

        Map<String, CycleSummary> runs = cycle();

        CycleSummary s = runs.get("storefront");
        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertTrue(s.retried() >= 3, "the refused calls were tried again: " + s);
        assertEquals(100, s.updated());
        for (int n = 1; n <= 100; n++) {
            assertTrue(onStorefront(n), "storefront record " + n);
        }
        AdaptiveRate rate = rt.bean("storefrontRate", AdaptiveRate.class);
        assertTrue(rate.decreases() >= 1, "sfdc_load_status WARN and the 429s lowered the storefront's rate");
        AdaptiveRate erpRate = rt.bean("erpRate", AdaptiveRate.class);
        assertEquals(0, erpRate.decreases(), "the ERP's rate is its own");
    }

    @Test
    void read_parts_the_storefront_could_not_answer_now_are_read_again_not_parked_as_unknown() throws Exception {
        assertShedPartsCostNothing(false);
    }

    @Test
    void write_parts_the_storefront_could_not_do_now_are_read_and_written_again_not_parked_as_refused() throws Exception {
        assertShedPartsCostNothing(true);
    }

    /** The first 30 parts (reads and writes, or writes only; a segment's batch here holds 10) answer 503: every record still lands, none parked. */
    void assertShedPartsCostNothing(boolean writesOnly) throws Exception {
        rt.start();
        for (int n = 1; n <= 100; n++) {
            rt.wmsItem(n, wanted(n));
        }
        sf.shedNextParts(30, writesOnly);

        CycleSummary s = cycle().get("storefront");

        assertEquals(0, s.parked(), s.toString());
        assertEquals(100, s.updated(), s.toString());
        for (int n = 1; n <= 100; n++) {
            assertTrue(onStorefront(n), "storefront record " + n);
        }
        assertTrue(sf.log().entries().stream().anyMatch(e -> e.parts().stream().anyMatch(p -> p.status() == 503)), "parts were shed");
    }

    @Test
    void a_product_id_column_of_the_wms_query_names_the_storefronts_record() throws Exception {
        for (int n = 1; n <= 100; n++) {
            sf.addRecord(list(n), "P-" + SandboxItems.itemNumber(n), 0);
        }
        rt.set("wms.query", "SELECT item_number, organization_code, category, quantity, updated_at, 'P-' || item_number AS product_id "
                + "FROM stock_level WHERE updated_at > :?since ORDER BY updated_at").set("storefront.product-id-column", "product_id").start();
        for (int n = 1; n <= 100; n++) {
            rt.wmsItem(n, wanted(n));
        }

        CycleSummary s = cycle().get("storefront");

        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertEquals(100, s.updated());
        for (int n = 1; n <= 100; n++) {
            assertEquals(wanted(n), sf.amount(list(n), "P-" + SandboxItems.itemNumber(n)), "record P-" + n);
            assertEquals(0, sf.amount(list(n), SandboxItems.itemNumber(n)), "the item number's record is not the product's");
        }
    }

    @Test
    void two_items_with_one_product_id_leave_its_record_to_the_first_and_park_the_other_naming_both() throws Exception {
        String one = SandboxItems.itemNumber(1);
        String three = SandboxItems.itemNumber(3);
        sf.addRecord(list(1), "P-SHARED", 0);
        for (int n = 1; n <= 10; n++) {
            sf.addRecord(list(n), "P-" + SandboxItems.itemNumber(n), 0);
        }
        rt.set("targets", "storefront").set("wms.query", "SELECT item_number, organization_code, category, quantity, updated_at, "
                + "CASE WHEN item_number IN ('" + one + "', '" + three + "') THEN 'P-SHARED' ELSE 'P-' || item_number END AS product_id "
                + "FROM stock_level WHERE updated_at > :?since ORDER BY updated_at").set("storefront.product-id-column", "product_id").start();
        for (int n = 1; n <= 10; n++) {
            rt.wmsItem(n, wanted(n));
        }

        CycleSummary s = cycle().get("storefront");

        assertEquals(9, s.updated(), s.toString());
        assertEquals(1, s.parked(), s.toString());
        List<ExceptionRow> parked = open("storefront");
        assertEquals(1, parked.size());
        ExceptionRow row = parked.get(0);
        assertEquals(FailureClass.INVALID_ROW.name(), row.failureClass(), row.toString());
        String first = row.itemNumber().equals(one) ? three : one;
        assertTrue(row.reason().contains("P-SHARED") && row.reason().contains(first), row.reason());
        assertEquals(wanted(first.equals(one) ? 1 : 3), sf.amount(list(1), "P-SHARED"), "the record follows the first item alone");
        for (int n = 2; n <= 10; n++) {
            if (n != 3) {
                assertEquals(wanted(n), sf.amount(list(n), "P-" + SandboxItems.itemNumber(n)), "record P-" + n);
            }
        }

        // the parked item changes again, alone: it is refused before any request, so nothing goes to the storefront
        long requests = storefrontDataRequests();
        rt.wmsItem(row.itemNumber().equals(one) ? 1 : 3, 7);
        CycleSummary again = cycle().get("storefront");
        assertEquals(1, again.parked(), again.toString());
        assertEquals(requests, storefrontDataRequests(), "no request for a batch of refused items only");
    }

    @Test
    void the_erp_down_for_the_whole_cycle_costs_the_storefront_nothing() throws Exception {
        rt.set("sync.retry.max-retries", "0").set("sync.breaker.window", "100").set("sync.breaker.minimum-updates", "100").start();
        changeAll();
        erp.knobs().outageUntil = Instant.now().plusSeconds(3600);

        Map<String, CycleSummary> runs = cycle();

        CycleSummary e = runs.get("erp");
        assertEquals(CycleSummary.DEFERRED, e.status(), e.toString());
        assertEquals(ITEMS, e.parked() + e.deferred(), e.toString());
        CycleSummary s = runs.get("storefront");
        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertEquals(ITEMS, s.updated());
        for (int n = 1; n <= ITEMS; n++) {
            assertTrue(onStorefront(n), "storefront record " + n);
        }
        assertEquals(CircuitBreaker.State.OPEN, rt.bean("erpBreaker", UpdateBreaker.class).state());
        assertEquals(CircuitBreaker.State.CLOSED, rt.bean("storefrontBreaker", UpdateBreaker.class).state());
        assertEquals(List.of(), open("storefront"));
        assertEquals(e.parked(), open("erp").size(), "the ERP's parked rows are its own");
    }
}
