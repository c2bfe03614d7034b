package io.erpsync.bom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.SandboxTest;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SampleWarehouse;
import io.erpsync.sandbox.SandboxStore;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.SyncAttempts;
import io.erpsync.sync.CycleRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BOM changes against the sandbox's item structures, with another user editing: only the fields a
 * change owns are sent, a same-field change of theirs is parked with the three values and never
 * overwritten, a bill's changes go one at a time in order, bills go in parallel, a bill with too
 * many conflicts is held, and a stop between read and write loses nothing and applies nothing twice.
 */
class BomChangesTest extends SandboxTest {
    long bill;
    long bill2;
    long nextChange = 1;
    Instant requested = Instant.parse("2026-05-01T08:00:00Z");

    @BeforeEach
    void inbox() throws Exception {
        rt.set("bom.enabled", "true").set("sync.retry.lock-delays", "50ms,100ms").set("sync.retry.initial-delay", "50ms");
        try (Connection c = DriverManager.getConnection(rt.wmsUrl); Statement st = c.createStatement()) {
            st.execute(SampleWarehouse.BOM_DDL);
        }
        List<Long> bills = erp.billIds();
        bill = bills.get(0);
        // a second bill in another lane (bom.lanes = 4, by the bill's hash)
        bill2 = bills.stream().filter(b -> Math.floorMod(Long.hashCode(b), 4) != Math.floorMod(Long.hashCode(bill), 4)).findFirst().orElseThrow();
    }

    long component(long billId, int n) {
        return erp.componentIds(billId).get(n);
    }

    Object quantity(long billId, long comp) {
        return erp.component(billId, comp).get("Quantity");
    }

    /** A change request in the inbox: the quantity the requester saw and the one wanted; notes when given. */
    long request(long billId, long comp, Object oldQty, Object newQty, String oldNotes, String newNotes) throws Exception {
        long id = nextChange++;
        requested = requested.plusSeconds(1);
        try (Connection c = DriverManager.getConnection(rt.wmsUrl); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bom_change (change_id, bill_sequence_id, component_sequence_id, old_quantity, new_quantity, old_notes, new_notes, "
                        + "requested_by, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'PLM', ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, billId);
            ps.setLong(3, comp);
            ps.setObject(4, oldQty == null ? null : new BigDecimal(String.valueOf(oldQty)));
            ps.setObject(5, newQty == null ? null : new BigDecimal(String.valueOf(newQty)));
            ps.setString(6, oldNotes);
            ps.setString(7, newNotes);
            ps.setTimestamp(8, Timestamp.from(requested));
            ps.executeUpdate();
        }
        return id;
    }

    long request(long billId, long comp, Object oldQty, Object newQty) throws Exception {
        return request(billId, comp, oldQty, newQty, null, null);
    }

    CycleSummary bomCycle() {
        return CycleRunner.runBomCycle(rt.context());
    }

    List<SandboxStore.ComponentChange> ours() {
        return erp.componentHistory().stream().filter(c -> c.by().equals("client")).toList();
    }

    JsonNode statusPage(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rt.managementUrl(path))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }

    static boolean same(Object a, Object b) {
        return new BigDecimal(String.valueOf(a)).compareTo(new BigDecimal(String.valueOf(b))) == 0;
    }

    @Test
    void only_the_fields_a_change_owns_are_sent_and_another_users_field_is_kept() throws Exception {
        rt.start();
        long comp = component(bill, 0);
        Object before = quantity(bill, comp);
        erp.editComponent(bill, comp, "Notes", "checked by engineering", "ENGINEER");
        request(bill, comp, before, 42);

        CycleSummary s = bomCycle();

        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertEquals(1, s.updated());
        assertTrue(same(42, quantity(bill, comp)));
        assertEquals("checked by engineering", erp.component(bill, comp).get("Notes"), "their field is theirs");
        assertEquals(List.of("Quantity"), ours().stream().map(SandboxStore.ComponentChange::field).toList(), "one field sent, once");
        assertEquals(2, s.requests(), "one GET and one PATCH");
    }

    @Test
    void a_same_field_change_by_another_user_is_parked_with_the_three_values_and_never_overwritten() throws Exception {
        rt.start();
        long comp = component(bill, 1);
        Object before = quantity(bill, comp);
        erp.editComponent(bill, comp, "Quantity", 77, "PLANNER");
        request(bill, comp, before, 5);

        CycleSummary s = bomCycle();

        assertTrue(same(77, quantity(bill, comp)), "theirs stands");
        assertEquals(0, ours().size());
        assertEquals(1, s.parked());
        ExceptionRow row = rt.exceptions("OPEN").get(0);
        assertEquals("CONFLICT", row.failureClass());
        assertTrue(row.isBom() && row.billId() == bill && row.componentId() == comp && row.changeId() == 1, row.toString());
        assertTrue(row.reason().contains("Quantity: was " + new BigDecimal(String.valueOf(before)).toPlainString() + ", ours 5, theirs 77")
                && row.reason().contains("last changed by PLANNER"), row.reason());
        assertEquals("PLANNER", row.lockOwner(), "who changed it last");
    }

    @Test
    void a_change_the_erp_already_has_is_counted_already_applied_and_nothing_is_sent() throws Exception {
        rt.start();
        long comp = component(bill, 2);
        erp.editComponent(bill, comp, "Quantity", 8, "ENGINEER");
        request(bill, comp, 3, 8);

        CycleSummary s = bomCycle();

        assertEquals(1, s.unchanged(), s.toString());
        assertEquals(0, ours().size());
        assertEquals(1, s.requests(), "the read only");
    }

    @Test
    void ten_changes_to_one_bill_apply_in_request_order_without_a_412_storm() throws Exception {
        rt.start();
        long comp = component(bill, 0);
        Object q = quantity(bill, comp);
        for (int i = 1; i <= 10; i++) {
            BigDecimal next = new BigDecimal(String.valueOf(q)).add(BigDecimal.ONE);
            request(bill, comp, q, next);
            q = next;
        }

        CycleSummary s = bomCycle();

        assertEquals(10, s.updated(), s.toString());
        assertTrue(same(q, quantity(bill, comp)));
        List<Object> applied = ours().stream().map(SandboxStore.ComponentChange::value).toList();
        for (int i = 1; i < applied.size(); i++) {
            assertEquals(1, new BigDecimal(String.valueOf(applied.get(i))).compareTo(new BigDecimal(String.valueOf(applied.get(i - 1)))),
                    "in request order: " + applied);
        }
        assertEquals(0, erp.requests().count(e -> e.status() == 412 || e.status() == 409), "no conflict met");
        assertEquals(20, s.requests(), "a read and a write per change");
    }

    @Test
    void two_bills_go_in_parallel_while_one_waits() throws Exception {
        rt.start();
        long compA = component(bill, 0);
        long compB = component(bill2, 0);
        request(bill, compA, quantity(bill, compA), 111);
        request(bill2, compB, quantity(bill2, compB), 222);
        erp.faults().hold(Faults.Match.WRITE, 1);

        CompletableFuture<CycleSummary> run = CompletableFuture.supplyAsync(this::bomCycle);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.faults().held() == 1);
        // the first write is held; the other bill's write goes through meanwhile
        await().atMost(Duration.ofSeconds(30)).until(() -> same(111, quantity(bill, compA)) || same(222, quantity(bill2, compB)));
        assertEquals(1, erp.faults().held(), "one bill still waits while the other landed");
        erp.faults().release(false);

        assertEquals(2, run.get().updated());
        assertTrue(same(111, quantity(bill, compA)) && same(222, quantity(bill2, compB)));
    }

    @Test
    void a_412_from_another_users_edit_between_read_and_write_is_read_and_merged_again() throws Exception {
        rt.start();
        long comp = component(bill, 3);
        Object before = quantity(bill, comp);
        request(bill, comp, before, 64);
        erp.faults().hold(Faults.Match.WRITE, 1);

        CompletableFuture<CycleSummary> run = CompletableFuture.supplyAsync(this::bomCycle);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.faults().held() == 1);
        erp.editComponent(bill, comp, "Notes", "reviewed", "ENGINEER");
        erp.faults().release(false);
        CycleSummary s = run.get();

        assertEquals(1, s.updated(), s.toString());
        assertTrue(same(64, quantity(bill, comp)));
        assertEquals("reviewed", erp.component(bill, comp).get("Notes"));
        assertEquals(1, erp.requests().count(e -> e.status() == 412), "the stale write met 412 once");
        assertEquals(4, s.requests(), "read, write (412), read, write");
    }

    @Test
    void a_locked_component_waits_the_lock_delays_and_lands() throws Exception {
        rt.start();
        long comp = component(bill, 4);
        request(bill, comp, quantity(bill, comp), 19);
        erp.faults().add(new Faults.Fault(Faults.Kind.STATUS, 409, 0, Faults.Match.WRITE), 1);

        CycleSummary s = bomCycle();

        assertEquals(1, s.updated(), s.toString());
        assertTrue(same(19, quantity(bill, comp)));
        List<SyncAttempts.Attempt> tries = rt.bean("syncAttempts", SyncAttempts.class).ofRun(s.runId());
        assertEquals(List.of("RECORD_LOCKED"), tries.stream().map(SyncAttempts.Attempt::failureClass).toList());
        assertEquals(50L, tries.get(0).delayMs(), "the first lock delay");
    }

    @Test
    void a_bill_past_the_conflict_threshold_is_held_and_its_later_changes_wait_for_a_release_and_a_replay() throws Exception {
        rt.managed().set("bom.change-order.after", "2").start();
        long c0 = component(bill, 0);
        long c1 = component(bill, 1);
        long c2 = component(bill, 2);
        erp.editComponent(bill, c0, "Quantity", 70, "PLANNER");
        erp.editComponent(bill, c1, "Quantity", 71, "PLANNER");
        request(bill, c0, 1000, 1);
        request(bill, c1, 1000, 2);
        Object q2 = quantity(bill, c2);
        request(bill, c2, q2, 3);

        CycleSummary s = bomCycle();

        assertEquals(3, s.parked(), s.toString());
        List<ExceptionRow> held = rt.exceptions("OPEN").stream().filter(r -> "NEEDS_CHANGE_ORDER".equals(r.failureClass())).toList();
        assertEquals(1, held.size());
        assertTrue(held.get(0).reason().contains("releaseBill(" + bill + ")"), held.get(0).reason());
        assertTrue(same(q2, quantity(bill, c2)), "a held change is not applied");

        BomChanges bom = rt.bean("bomChanges", BomChanges.class);
        assertEquals(1, bom.held().size());
        JsonNode page = statusPage("/status/api/overview").get("bom");
        assertEquals(3, page.get("last").get("parked").asInt(), page.toString());
        assertTrue(page.get("held").get(0).asText().startsWith(bill + " "), page.toString());
        JsonNode row = statusPage("/status/api/exceptions?class=NEEDS_CHANGE_ORDER").get("rows").get(0);
        assertEquals(bill, row.get("bill").asLong(), row.toString());
        assertEquals(c2, row.get("component").asLong(), row.toString());
        assertTrue(bom.release(bill, "alice"));
        CycleSummary replay = rt.replay("class=NEEDS_CHANGE_ORDER");

        assertEquals(1, replay.updated(), replay.toString());
        assertTrue(same(3, quantity(bill, c2)));
        assertEquals(2, rt.exceptions("OPEN").size(), "the two conflicts still wait for a person");
    }

    @Test
    void a_parked_conflict_replayed_after_the_other_user_undid_theirs_is_applied() throws Exception {
        rt.start();
        long comp = component(bill, 1);
        Object before = quantity(bill, comp);
        erp.editComponent(bill, comp, "Quantity", 55, "PLANNER");
        request(bill, comp, before, 6);
        bomCycle();
        ExceptionRow parked = rt.exceptions("OPEN").get(0);
        erp.editComponent(bill, comp, "Quantity", before, "PLANNER");

        CycleSummary replay = rt.replay("id=" + parked.id());

        assertEquals(1, replay.updated(), replay.toString());
        assertTrue(same(6, quantity(bill, comp)));
        assertEquals(0, rt.exceptions("OPEN").size());
    }

    @Test
    void a_malformed_inbox_row_is_parked_with_a_reason_naming_it_and_the_others_apply() throws Exception {
        rt.start();
        long comp = component(bill, 0);
        request(bill, comp, quantity(bill, comp), -4);
        request(bill, component(bill, 1), quantity(bill, component(bill, 1)), 4);

        CycleSummary s = bomCycle();

        assertEquals(1, s.updated());
        ExceptionRow bad = rt.exceptions("OPEN").get(0);
        assertEquals("INVALID_ROW", bad.failureClass());
        assertEquals("BOM change row 1 (change 1, bill " + bill + "): new_quantity '-4' is not a number not less than 0", bad.reason());
    }

    @Test
    void stopped_between_read_and_write_the_change_is_read_again_and_applied_once() throws Exception {
        rt.set("camel.main.shutdown-timeout", "2").start();
        long comp = component(bill, 2);
        request(bill, comp, quantity(bill, comp), 31);
        erp.faults().hold(Faults.Match.WRITE, 1);
        CompletableFuture<CycleSummary> run = CompletableFuture.supplyAsync(this::bomCycle);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.faults().held() == 1);

        rt.stop();
        erp.faults().release(true);
        assertNotEquals(CycleSummary.SUCCEEDED, run.handle((r, e) -> r == null ? "FAILED" : r.status()).get());
        rt = new io.erpsync.TestRuntime(erp, rt.wmsUrl, rt.storeUrl).set("bom.enabled", "true").start();
        CycleSummary again = bomCycle();

        assertEquals(1, again.read(), "the watermark stayed: the change is read again");
        assertEquals(1, again.updated());
        assertTrue(same(31, quantity(bill, comp)));
        assertEquals(1, ours().size(), "applied once");
    }
}
