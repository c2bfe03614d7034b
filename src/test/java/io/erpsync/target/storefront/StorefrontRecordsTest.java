package io.erpsync.target.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.FailureClass;
import io.erpsync.core.Multipart;
import io.erpsync.target.BatchOutcome;
import io.erpsync.target.StateReads;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetFailure;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;
import io.erpsync.target.VersionedWrite;
import io.erpsync.wms.StockLevel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The storefront's side of the seam against recorded answers (docs/commerce-contract.md sections 2 to 5). */
class StorefrontRecordsTest {
    final StorefrontRecords records = new StorefrontRecords(new InventoryLists(Map.of("M1", "inventory_m1", "M2", "inventory_m2")));
    static final String RECORD_PATH = "/inventory_lists/inventory_m1/product_inventory_records/";
    static final String BOUNDARY = "dw-rec";

    static StockLevel level(String item, String org) {
        return new StockLevel(item, org, BigDecimal.TEN, null, "S", 1);
    }

    /** A recorded batch answer: (content id, status, body) parts. */
    static TargetAnswer answer(String... idStatusBody) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < idStatusBody.length; i += 3) {
            b.append("--").append(BOUNDARY).append("\r\nx-dw-content-id: ").append(idStatusBody[i]).append("\r\nx-dw-status-code: ")
                    .append(idStatusBody[i + 1]).append("\r\nContent-Type: application/json\r\n\r\n").append(idStatusBody[i + 2]).append("\r\n");
        }
        b.append("--").append(BOUNDARY).append("--\r\n");
        return new TargetAnswer(200, b.toString(), Map.of("Content-Type", "multipart/mixed; boundary=" + BOUNDARY));
    }

    static String fault(String type, String holder) {
        return "{\"_v\":\"23.2\",\"_type\":\"fault\",\"fault\":{\"type\":\"" + type + "\",\"message\":\"m\",\"arguments\":"
                + (holder == null ? "{}" : "{\"holder\":\"" + holder + "\"}") + "}}";
    }

    @Test
    void a_bundled_products_quantity_is_written_out_in_full_never_in_exponent_form() {
        TargetRequest r = BundledProducts.write("BUNDLE-1", "P-1", new BigDecimal("10").stripTrailingZeros(), "state-1");
        assertEquals("{\"_resource_state\":\"state-1\",\"quantity\":10}", r.body(), "the bill's 10 (1E+1 once its zeros are stripped)");
        assertEquals("{\"_resource_state\":\"s\",\"quantity\":2.5}", BundledProducts.write("B", "P", new BigDecimal("2.50"), "s").body());
    }

    @Test
    void a_read_is_one_batch_of_get_parts_one_per_item_of_a_mapped_organization() {
        TargetRequest r = records.request(List.of(level("ITM-1", "M1"), level("ITM-2", "M2"), level("ITM-3", "NOLIST"), level("ITM-1", "M1")));
        assertEquals("POST", r.method());
        assertEquals("/s/-/dw/batch", r.path());
        List<Multipart.Part> parts = Multipart.read(r.contentType(), r.body()).parts();
        assertEquals(2, parts.size());
        assertEquals("GET", parts.get(0).header("x-dw-http-method"));
        assertEquals("ITM-1|M1", parts.get(0).header("x-dw-content-id"));
        assertEquals(RECORD_PATH + "ITM-1", parts.get(0).header("x-dw-resource-path"));
        assertEquals("/inventory_lists/inventory_m2/product_inventory_records/ITM-2", parts.get(1).header("x-dw-resource-path"));
        assertEquals(50, records.maxItems());
    }

    @Test
    void read_parts_come_in_any_order_and_an_unknown_record_is_not_found() {
        StateReads.StateRead read = records.read(answer(
                "ITM-2|M1", "404", fault("ProductInventoryRecordNotFoundException", null),
                "ITM-1|M1", "200", "{\"_type\":\"product_inventory_record\",\"_resource_state\":\"s1\",\"product_id\":\"ITM-1\","
                        + "\"allocation\":{\"amount\":150},\"ats\":141}"));
        assertEquals(Set.of("ITM-1|M1"), read.found().keySet());
        var state = read.found().get("ITM-1|M1");
        assertEquals("s1", state.version());
        assertEquals(0, new BigDecimal(150).compareTo(state.quantity()));
        assertEquals(RECORD_PATH + "ITM-1", state.ref());
        assertFalse(read.cutShort());
    }

    @Test
    void a_read_part_the_storefront_could_not_answer_now_is_read_again() {
        UnreadableAnswer none = assertThrows(UnreadableAnswer.class,
                () -> records.read(answer("ITM-2|M1", "503", fault("ServiceUnavailableException", null))));
        assertTrue(none.readingAgainHelps(), "no part answered: read again, not taken for not found");
    }

    @Test
    void a_record_without_its_state_or_a_body_that_is_not_multipart_is_unreadable() {
        assertThrows(UnreadableAnswer.class, () -> records.read(answer("ITM-1|M1", "200", "{\"product_id\":\"ITM-1\"}")));
        assertThrows(UnreadableAnswer.class, () -> records.read(new TargetAnswer(200, "<html>gateway</html>", Map.of("Content-Type", "text/html"))));
    }

    @Test
    void a_write_is_one_batch_of_patch_parts_with_the_state_and_allocation_amount_only() {
        TargetRequest r = records.request(List.of(new VersionedWrite("p1", RECORD_PATH + "ITM-1", "s1", new BigDecimal("150.000")),
                new VersionedWrite("p2", RECORD_PATH + "ITM-2", "s2", new BigDecimal("1E+1"))));
        List<Multipart.Part> parts = Multipart.read(r.contentType(), r.body()).parts();
        assertEquals("PATCH", parts.get(0).header("x-dw-http-method"));
        assertEquals("p1", parts.get(0).header("x-dw-content-id"));
        assertEquals("{\"_resource_state\":\"s1\",\"allocation\":{\"amount\":150}}", parts.get(0).body());
        assertEquals("{\"_resource_state\":\"s2\",\"allocation\":{\"amount\":10}}", parts.get(1).body());
        assertTrue(r.answered().isEmpty());
    }

    @Test
    void each_write_part_has_its_own_outcome_by_fault_type_and_none_is_rolled_back() {
        BatchOutcome o = records.outcome(answer(
                "p4", "404", fault("ProductInventoryRecordNotFoundException", null),
                "p1", "200", "{\"_resource_state\":\"s9\"}",
                "p3", "409", fault("ConcurrentModificationException", "InventoryImportJob"),
                "p2", "409", fault("ResourceStateConflictException", null),
                "p9", "200", "{}"), Set.of("p1", "p2", "p3", "p4", "p5"));
        assertEquals(Set.of("p1"), o.updated());
        assertEquals(FailureClass.STALE_ETAG, o.failed().get("p2").failureClass());
        assertEquals(409, o.failed().get("p2").status());
        assertTrue(o.stale().isEmpty());
        assertEquals(FailureClass.RECORD_LOCKED, o.failed().get("p3").failureClass());
        assertEquals("InventoryImportJob", o.failed().get("p3").holder());
        assertEquals(FailureClass.REJECTED, o.failed().get("p4").failureClass());
        assertTrue(o.rolledBack().isEmpty());
        assertEquals(Set.of("p5"), o.unanswered());
        assertEquals(Set.of("p9"), o.unknown());
    }

    @Test
    void refusals_are_classified_by_fault_type_not_status() {
        StorefrontAnswers answers = new StorefrontAnswers();
        assertEquals(FailureClass.STALE_ETAG, answers.refused(409, fault("ResourceStateConflictException", null), null).failureClass());
        TargetFailure locked = answers.refused(409, fault("ConcurrentModificationException", "InventoryImportJob"), "5");
        assertEquals(FailureClass.RECORD_LOCKED, locked.failureClass());
        assertEquals("InventoryImportJob", locked.holder());
        assertEquals("5", locked.retryAfter());
        assertEquals(FailureClass.THROTTLED, answers.refused(503, "<html>busy</html>", "1").failureClass());
        assertEquals(FailureClass.REJECTED, answers.refused(400, fault("PropertyConstraintViolationException", null), null).failureClass());
        assertEquals(FailureClass.SERVER_ERROR, answers.refused(502, "", null).failureClass());
        assertEquals("x".repeat(2048), answers.message("x".repeat(5000)));
        assertEquals("ConcurrentModificationException: m", answers.message(fault("ConcurrentModificationException", null)));
    }

    @Test
    void writes_touching_one_parent_product_share_its_lane_and_write_group() {
        StorefrontLanes lanes = new StorefrontLanes(Map.of("COMP-1", "KIT-1", "COMP-2", "KIT-1"));
        assertEquals(lanes.writeGroup(level("COMP-1", "M1")), lanes.writeGroup(level("COMP-2", "M1")));
        assertEquals("product:KIT-1", lanes.laneKey(level("COMP-2", "M2")));
        assertEquals("record:ITM-1|M1", lanes.laneKey(level("ITM-1", "M1")));
        assertFalse(lanes.hotItemsApart());
    }
}
