package io.erpsync.bom;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.SandboxTest;
import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SampleWarehouse;
import io.erpsync.sandbox.SandboxStructures;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * BOM changes against the sandbox's item structures, with another user editing: only the fields a
 * change owns are sent, a same-field change of theirs is parked with the three values and never
 * overwritten, a bill's changes go one at a time in order, bills go in parallel, a bill with too
 * many conflicts is held, a locked bill costs its own changes a wait and nothing else (in request
 * order, never two requests to a bill at once, our own chain never taken for another user's edit),
 * and a stop between read and write loses nothing and applies nothing twice.
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

    List<SandboxStructures.ComponentChange> ours() {
        return erp.componentHistory().stream().filter(c -> c.by().equals("client")).toList();
    }

    JsonNode statusPage(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rt.managementUrl(path))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }

    /** The values our writes to one component field landed, in the order the ERP applied them. */
    List<BigDecimal> landed(long billId, long comp) {
        return ours().stream().filter(c -> c.billId() == billId && c.componentId() == comp && c.field().equals("Quantity"))
                .map(c -> new BigDecimal(String.valueOf(c.value())).stripTrailingZeros()).toList();
    }

    /** A chain of quantity changes of one component, each one's old value the previous one's new: the change ids. */
    List<Long> chain(long billId, long comp, int... values) throws Exception {
        List<Long> ids = new ArrayList<>();
        Object old = quantity(billId, comp);
        for (int v : values) {
            ids.add(request(billId, comp, old, v));
            old = v;
        }
        return ids;
    }

    static List<BigDecimal> decimals(int... values) {
        return Arrays.stream(values).mapToObj(v -> BigDecimal.valueOf(v).stripTrailingZeros()).toList();
    }

    static boolean same(Object a, Object b) {
        return new BigDecimal(String.valueOf(a)).compareTo(new BigDecimal(String.valueOf(b))) == 0;
    }

    @Test
    void a_component_id_that_is_missing_or_no_whole_number_is_no_id() {
        assertEquals(77L, BomChanges.wholeId("77"));
        assertEquals(77L, BomChanges.wholeId(77.0));
        assertEquals(null, BomChanges.wholeId(null));
        assertEquals(null, BomChanges.wholeId("seventy-seven"));
        assertEquals(null, BomChanges.wholeId("77.5"));
        assertEquals(null, BomChanges.wholeId("99999999999999999999999"));
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
        assertEquals(List.of("Quantity"), ours().stream().map(SandboxStructures.ComponentChange::field).toList(), "one field sent, once");
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
        List<Object> applied = ours().stream().map(SandboxStructures.ComponentChange::value).toList();
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

        BomReplays bom = rt.bean("bomReplays", BomReplays.class);
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

    /** A change parked as a conflict on component 1 of the bill, whose other user then undid theirs. */
    ExceptionRow conflictUndone(long comp) throws Exception {
        Object before = quantity(bill, comp);
        erp.editComponent(bill, comp, "Quantity", 55, "PLANNER");
        request(bill, comp, before, 6);
        bomCycle();
        ExceptionRow parked = rt.exceptions("OPEN").get(0);
        erp.editComponent(bill, comp, "Quantity", before, "PLANNER");
        return parked;
    }

    /** A replay of the row applies its change: the ERP ends at 6 and nothing stays open. */
    void assertReplayApplies(ExceptionRow parked, long comp) {
        CycleSummary replay = rt.replay("id=" + parked.id());
        assertEquals(1, replay.updated(), replay.toString());
        assertTrue(same(6, quantity(bill, comp)));
        assertEquals(0, rt.exceptions("OPEN").size());
    }

    void inbox(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(rt.wmsUrl)) {
            c.createStatement().execute(statement);
        }
    }

    @Test
    void a_parked_conflict_replayed_after_the_other_user_undid_theirs_is_applied() throws Exception {
        rt.start();
        long comp = component(bill, 1);
        assertReplayApplies(conflictUndone(comp), comp);
    }

    @Test
    void a_replay_of_a_parked_change_that_fails_on_its_way_leaves_it_open_for_the_next() throws Exception {
        rt.start();
        long comp = component(bill, 1);
        ExceptionRow parked = conflictUndone(comp);
        // the inbox is away while the replay reads the change again
        inbox("ALTER TABLE bom_change RENAME TO bom_change_away");

        CycleSummary failed = rt.replay("id=" + parked.id());

        assertEquals(CycleSummary.FAILED, failed.status(), failed.toString());
        assertEquals(List.of(parked.id()), rt.exceptions("OPEN").stream().map(ExceptionRow::id).toList(), "open again, not hidden as REPLAYED");
        inbox("ALTER TABLE bom_change_away RENAME TO bom_change");
        assertReplayApplies(parked, comp);
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
        rt = new TestRuntime(erp, rt.wmsUrl, rt.storeUrl).set("bom.enabled", "true").start();
        CycleSummary again = bomCycle();

        assertEquals(1, again.read(), "the watermark stayed: the change is read again");
        assertEquals(1, again.updated());
        assertTrue(same(31, quantity(bill, comp)));
        assertEquals(1, ours().size(), "applied once");
    }

    @Test
    void a_locked_bill_costs_its_own_changes_a_wait_in_request_order_and_its_chain_is_never_taken_for_another_users_edit() throws Exception {
        rt.set("sync.retry.lock-delays", "100ms,200ms,400ms").start();
        List<Long> bills = erp.billIds();
        long locked = bill;
        // an unlocked bill in the locked bill's lane, and a briefly locked bill in another lane
        long free = bills.stream().filter(b -> b != locked && Math.floorMod(Long.hashCode(b), 4) == Math.floorMod(Long.hashCode(locked), 4))
                .findFirst().orElseThrow();
        long brief = bill2;
        long l0 = component(locked, 0);
        long l1 = component(locked, 1);
        long b0 = component(brief, 0);
        long b1 = component(brief, 1);
        long f0 = component(free, 0);
        // another user: a field no change owns on the briefly locked bill's chained component, and a field one owns on its other component
        erp.editComponent(brief, b0, "Notes", "checked by engineering", "ENGINEER");
        Object b1Before = quantity(brief, b1);
        erp.editComponent(brief, b1, "Quantity", 77, "PLANNER");

        List<Long> lockedChain = chain(locked, l0, 10, 20, 30);
        long lockedNotes = request(locked, l1, null, null, null, "new drawing");
        List<Long> briefChain = chain(brief, b0, 40, 50, 60);
        long trueConflict = request(brief, b1, b1Before, 5);
        chain(free, f0, 70, 80, 90);
        erp.lockBill(locked, Duration.ofHours(1), "COST_ROLLUP");
        erp.lockBill(brief, Duration.ofMillis(250), "COST_ROLLUP");

        CycleSummary s = bomCycle();

        assertEquals(Map.of(), erp.requests().billOverlaps(), "never two requests to one bill in flight at once");
        assertEquals(0, erp.requests().bodiesWithExponentNumbers(), "plain numbers: 20, never 2E+1");
        assertEquals(decimals(40, 50, 60), landed(brief, b0), "the briefly locked bill's chain waited out the lock, in request order");
        assertEquals("checked by engineering", erp.component(brief, b0).get("Notes"), "their field is theirs");
        assertEquals(decimals(70, 80, 90), landed(free, f0), "the unlocked bill in the locked bill's lane, in request order");
        assertEquals(List.of(), landed(locked, l0), "nothing lands on a bill locked past the lock rounds");
        // the unlocked bill of the same lane did not wait for the locked one: its writes were done before the locked bill's last round
        Instant freeDone = erp.requests().entries().stream().filter(e -> e.isWrite() && e.path().contains("/" + free + "/"))
                .map(e -> e.at()).max(Instant::compareTo).orElseThrow();
        Instant lockedLast = erp.requests().entries().stream().filter(e -> e.isWrite() && e.path().contains("/" + locked + "/"))
                .map(e -> e.at()).max(Instant::compareTo).orElseThrow();
        assertTrue(freeDone.isBefore(lockedLast), "the lane served the unlocked bill while the locked one waited: " + freeDone + " / "
                + lockedLast);

        Map<Long, ExceptionRow> open = new HashMap<>();
        rt.exceptions("OPEN").forEach(r -> open.put(r.changeId(), r));
        assertEquals(Set.of(lockedChain.get(0), lockedChain.get(1), lockedChain.get(2), lockedNotes, trueConflict), open.keySet(),
                s.toString());
        assertEquals("RECORD_LOCKED", open.get(lockedChain.get(0)).failureClass());
        assertEquals("RECORD_LOCKED", open.get(lockedNotes).failureClass(), "another component of the locked bill: its own lock rounds");
        for (int i = 1; i < 3; i++) {
            ExceptionRow waiting = open.get(lockedChain.get(i));
            assertEquals("WAITING_FOR_CHANGE", waiting.failureClass(), waiting.reason());
            assertEquals(lockedChain.get(i - 1), waiting.waitsForChange());
            assertTrue(waiting.reason().startsWith("Waits for change " + lockedChain.get(i - 1) + " "), waiting.reason());
        }
        assertEquals("CONFLICT", open.get(trueConflict).failureClass(), "the other user's quantity: the only conflict");
        assertTrue(same(77, quantity(brief, b1)), "theirs stands");
        assertEquals(1, rt.bean("syncAttempts", SyncAttempts.class).ofRun(s.runId()).stream().filter(a -> a.failureClass().equals("CONFLICT"))
                .count(), "one true conflict met; the rest were lock rounds");
        assertTrue(rt.bean("bomReplays", BomReplays.class).held().isEmpty(), "locks never hold a bill");
        long waitRequests = erp.requests().count(e -> e.path().contains("/" + locked + "/child/Component/" + l0) && e.isWrite());
        assertEquals(4, waitRequests, "the chain's head tried once and after each of the three lock rounds; its successors sent nothing");

        // the lock is over; replaying the locked changes applies each, and each change that waited right after it, in request order
        erp.lockBill(locked, Duration.ZERO, "COST_ROLLUP");
        erp.requests().clear();
        CycleSummary replay = rt.replay("class=RECORD_LOCKED");

        assertEquals(4, replay.updated(), replay.toString());
        assertEquals(decimals(10, 20, 30), landed(locked, l0), "the chain in request order");
        assertEquals("new drawing", erp.component(locked, l1).get("Notes"));
        assertEquals(List.of(trueConflict), rt.exceptions("OPEN").stream().map(ExceptionRow::changeId).toList(), "only the true conflict waits");
        assertEquals(Map.of(), erp.requests().billOverlaps());
        assertEquals(0, erp.requests().bodiesWithExponentNumbers());
    }

    @Test
    void a_released_bill_replays_its_held_chain_in_request_order_and_a_lock_alone_never_holds_it() throws Exception {
        rt.managed().set("bom.change-order.after", "2").set("sync.retry.lock-delays", "50ms").start();
        long c0 = component(bill, 0);
        long c1 = component(bill, 1);
        long c2 = component(bill, 2);
        long c3 = component(bill, 3);
        // two changes of ours locked past their round, and their successors: never conflicts, never a hold
        erp.lockBill(bill, Duration.ofHours(1), "COST_ROLLUP");
        chain(bill, c3, 11, 12);
        chain(bill, c2, 13, 14);
        bomCycle();
        BomReplays bom = rt.bean("bomReplays", BomReplays.class);
        assertTrue(bom.held().isEmpty(), "locks and our own chains are no conflicts: " + rt.exceptions("OPEN"));
        erp.lockBill(bill, Duration.ZERO, "COST_ROLLUP");
        rt.replay("all");
        assertEquals(decimals(13, 14), landed(bill, c2));

        // two true conflicts hold the bill; the chain after them is held, and applied in order once released and replayed
        erp.editComponent(bill, c0, "Quantity", 70, "PLANNER");
        erp.editComponent(bill, c1, "Quantity", 71, "PLANNER");
        request(bill, c0, 1000, 1);
        request(bill, c1, 1000, 2);
        chain(bill, c2, 20, 30, 40);
        bomCycle();
        assertFalse(bom.held().isEmpty());
        assertEquals(3, rt.exceptions("OPEN").stream().filter(r -> "NEEDS_CHANGE_ORDER".equals(r.failureClass())).count());

        assertTrue(bom.release(bill, "alice"));
        CycleSummary replay = rt.replay("class=NEEDS_CHANGE_ORDER");

        assertEquals(3, replay.updated(), replay.toString());
        assertEquals(decimals(13, 14, 20, 30, 40), landed(bill, c2), "in request order");
        assertEquals(2, rt.exceptions("OPEN").size(), "the two true conflicts still wait for a person");
    }

    @Test
    void a_change_backing_off_from_a_busy_erp_holds_its_bill_not_its_lane() throws Exception {
        rt.start();
        long other = erp.billIds().stream().filter(b -> b != bill && Math.floorMod(Long.hashCode(b), 4) == Math.floorMod(Long.hashCode(bill), 4))
                .findFirst().orElseThrow();
        long comp = component(bill, 0);
        long otherComp = component(other, 0);
        chain(bill, comp, 10, 20);
        chain(other, otherComp, 30);
        // the next two writes are refused as 503: the first change's write and then, while it backs off, the next write sent
        erp.faults().add(new Faults.Fault(Faults.Kind.STATUS, 503, 0, Faults.Match.WRITE), 2);

        CycleSummary s = bomCycle();

        assertEquals(3, s.updated(), s.toString());
        List<String> refused = erp.requests().entries().stream().filter(e -> e.status() == 503).map(e -> e.path()).toList();
        assertEquals(2, refused.size(), refused.toString());
        assertTrue(refused.get(0).contains("/" + bill + "/") && refused.get(1).contains("/" + other + "/"),
                "while the first bill's change backed off, its lane served the other bill: " + refused);
        assertEquals(decimals(10, 20), landed(bill, comp), "its bill's next change waited behind it");
        assertEquals(decimals(30), landed(other, otherComp));
        assertEquals(Map.of(), erp.requests().billOverlaps());
        List<SyncAttempts.Attempt> tries = rt.bean("syncAttempts", SyncAttempts.class).ofRun(s.runId());
        assertEquals(List.of("THROTTLED", "THROTTLED"), tries.stream().map(SyncAttempts.Attempt::failureClass).toList(),
                "each back-off recorded with its wait");
        assertTrue(tries.stream().allMatch(a -> a.delayMs() != null && a.delayMs() >= 50), tries.toString());
    }

    @Test
    void a_later_change_requested_from_the_value_before_our_own_earlier_change_is_ours_not_a_conflict() throws Exception {
        rt.start();
        long comp = component(bill, 3);
        // two requesters saw the same value; the value the first one's change writes is ours, not a third value
        Object seenByBoth = quantity(bill, comp);
        for (int wanted : new int[] {10, 20}) {
            request(bill, comp, seenByBoth, wanted);
        }

        CycleSummary s = bomCycle();

        assertEquals(2, s.updated(), s.toString());
        assertEquals(decimals(10, 20), landed(bill, comp));
        assertEquals(0, rt.exceptions("OPEN").size());
    }

    @Test
    void after_a_restart_our_earlier_change_is_still_ours_and_a_later_change_from_the_value_before_it_is_no_conflict() throws Exception {
        rt.start();
        long comp = component(bill, 4);
        Object seenByBoth = quantity(bill, comp);
        request(bill, comp, seenByBoth, 10);
        assertEquals(1, bomCycle().updated());

        // a restart (or another node taking over) between the two changes
        rt.stop();
        rt = new TestRuntime(erp, rt.wmsUrl, rt.storeUrl).set("bom.enabled", "true").start();
        request(bill, comp, seenByBoth, 20);
        CycleSummary s = bomCycle();

        assertEquals(1, s.updated(), s.toString() + " " + rt.exceptions("OPEN"));
        assertEquals(decimals(10, 20), landed(bill, comp));
        assertEquals(0, rt.exceptions("OPEN").size(), "10 is our own change's value, not another user's");
    }
}
