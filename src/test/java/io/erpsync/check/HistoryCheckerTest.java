package io.erpsync.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.core.FailureClass;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;
import io.erpsync.store.Datasources;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ParkedItem;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/** The checker is only worth its verdicts if it fails on each kind of broken promise. */
class HistoryCheckerTest {
    SandboxErp erp;
    String wmsUrl = "jdbc:h2:mem:check-wms-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    String storeUrl = "jdbc:h2:mem:check-store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    HistoryChecker checker;
    final HttpClient http = HttpClient.newHttpClient();
    Instant clock = Instant.parse("2026-03-01T08:00:00Z");

    @BeforeEach
    void setUp() throws Exception {
        erp = TestRuntime.sandbox(20);
        try (Connection c = DriverManager.getConnection(wmsUrl); Statement st = c.createStatement()) {
            st.execute(io.erpsync.sandbox.SampleWarehouse.DDL);
        }
        JdbcDataSource store = new JdbcDataSource();
        store.setURL(storeUrl);
        Datasources.migrate(store);
        checker = new HistoryChecker(erp, wmsUrl, storeUrl);
    }

    @AfterEach
    void tearDown() {
        erp.close();
    }

    @Test
    void writes_that_follow_the_wms_in_order_hold() throws Exception {
        wms(1, "5");
        patch(1, "5");
        wms(1, "7");
        patch(1, "7");
        wms(2, "3");
        patch(2, "3");

        HistoryChecker.Report r = checker.check();

        assertTrue(r.holds(), r.toString());
        assertEquals(2, r.synced());
        assertEquals(3, r.clientWrites());
    }

    @Test
    void an_older_value_applied_after_a_newer_one_is_named_with_the_items_writes() throws Exception {
        wms(1, "5");
        wms(1, "7");
        patch(1, "7");
        patch(1, "5");
        watermark();

        HistoryChecker.Report r = checker.check();

        assertFalse(r.holds());
        String text = r.toString();
        assertTrue(text.contains(item(1) + "|M1: an older WMS value 5 was applied"), text);
        assertTrue(text.contains("the newest WMS value is 7"), text);
        assertTrue(text.contains("writes sent: PATCH 7 -> 200"), text);
    }

    @Test
    void an_older_value_passes_across_a_take_over_only_when_a_newer_one_follows_within_the_repair_time() throws Exception {
        wms(1, "5");
        wms(1, "7");
        patch(1, "7");
        patch(1, "5");
        patch(1, "7");
        wms(2, "3");
        wms(2, "4");
        patch(2, "4");
        patch(2, "3");
        watermark();

        HistoryChecker.Report repaired = checker.repairedWithin(java.time.Duration.ofMinutes(1)).check();
        HistoryChecker.Report strict = checker.repairedWithin(java.time.Duration.ofNanos(1)).check();

        String text = repaired.toString();
        assertEquals(1, repaired.repaired(), text);
        assertTrue(repaired.problems().stream().allMatch(p -> p.startsWith(item(2))), "only item 2, left at its older value: " + text);
        assertTrue(text.contains(item(2) + "|M2: an older WMS value 3 was applied"), text);
        assertEquals(0, strict.repaired(), "the repair came later than a nanosecond");
        assertEquals(2, strict.problems().stream().filter(p -> p.contains("an older WMS value")).count(), strict.toString());
    }

    @Test
    void an_item_short_of_its_newest_value_passes_only_with_an_open_row_that_says_why() throws Exception {
        wms(3, "9");
        assertEquals(1, checker.check().pending(), "above the watermark: the next cycle reads it, nothing is lost yet");
        watermark();

        assertTrue(checker.check().toString().contains(item(3) + "|M1: the ERP holds"), checker.check().toString());

        JdbcDataSource store = new JdbcDataSource();
        store.setURL(storeUrl);
        new ExceptionQueue(store).park(new ParkedItem(item(3), "M1", "M1|X", new BigDecimal("9"), clock, FailureClass.RECORD_LOCKED,
                "locked by Cost Update", 409, null, "SCM_IMPL"), 1, clock);
        HistoryChecker.Report r = checker.check();

        assertTrue(r.holds(), r.toString());
        assertEquals(1, r.parked());
    }

    @Test
    void another_users_field_overwritten_by_a_whole_item_put_is_reported() throws Exception {
        wms(1, "5");
        Map<String, Object> before = erp.item(item(1), "M1");
        erp.editItem(item(1), "M1", "ItemDescription", "counted by the planner");
        // a careless client: PUT of the whole item it read before the planner's edit
        Map<String, Object> stale = new java.util.LinkedHashMap<>(before);
        stale.keySet().retainAll(java.util.Set.of("ItemNumber", "OrganizationCode", "ItemDescription", "ItemCategory"));
        stale.put("OnhandQuantity", 5);
        send("PUT", before, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(stale));

        String text = checker.check().toString();

        assertTrue(text.contains("another user's ItemDescription = counted by the planner was overwritten"), text);
        assertTrue(text.contains("erp-sync wrote ItemDescription"), text);
    }

    @Test
    void a_write_to_an_item_the_wms_never_named_is_reported() throws Exception {
        patch(4, "1");

        assertTrue(checker.check().toString().contains(item(4) + "|M2: erp-sync wrote an item the WMS never named"));
    }

    // ---- helpers -----------------------------------------------------------------------------

    static String item(int n) {
        return SandboxItems.itemNumber(n);
    }

    private void wms(int n, String qty) throws Exception {
        clock = clock.plusSeconds(1);
        Map<String, Object> item = erp.item(item(n), n % 2 == 1 ? "M1" : "M2");
        try (Connection c = DriverManager.getConnection(wmsUrl); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO stock_level (item_number, organization_code, category, quantity, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, item(n));
            ps.setString(2, (String) item.get("OrganizationCode"));
            ps.setString(3, (String) item.get("ItemCategory"));
            ps.setBigDecimal(4, new BigDecimal(qty));
            ps.setTimestamp(5, Timestamp.from(clock));
            ps.executeUpdate();
        }
    }

    /** A cycle read everything written so far: its watermark is committed. */
    private void watermark() throws Exception {
        try (Connection c = DriverManager.getConnection(storeUrl); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sync_watermark (name, mark, run_id, updated_at) VALUES ('wms', ?, 1, ?)")) {
            ps.setObject(1, java.time.OffsetDateTime.ofInstant(clock, java.time.ZoneOffset.UTC));
            ps.setObject(2, java.time.OffsetDateTime.ofInstant(clock, java.time.ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private void patch(int n, String qty) throws Exception {
        Map<String, Object> item = erp.item(item(n), n % 2 == 1 ? "M1" : "M2");
        send("PATCH", item, "{\"OnhandQuantity\": " + qty + "}");
    }

    private void send(String method, Map<String, Object> item, String body) throws Exception {
        String auth = Base64.getEncoder().encodeToString("integration.user:sandbox".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(erp.baseUrl() + SandboxErp.VERSION_ROOT + "/items/"
                        + item.get("ItemId"))).header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }
}
