package io.erpsync.target.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.FailureClass;
import io.erpsync.target.BatchOutcome;
import io.erpsync.target.ItemState;
import io.erpsync.target.PartFailure;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;
import io.erpsync.target.VersionedWrite;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

class ErpJsonTest {

    @Test
    void a_collection_that_does_not_parse_is_an_unreadable_answer_keeping_the_body() {
        UnreadableAnswer e = assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new TargetAnswer(200, "<html>gateway</html>")));
        assertEquals("<html>gateway</html>", e.body());
        assertTrue(e.getMessage().contains("not JSON"));
        assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new TargetAnswer(200, "{\"items\":[{\"ItemNumber\":\"A\"}]}")));
        assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new TargetAnswer(200, "{\"items\":{\"ItemNumber\":\"A\"}}")));
    }

    @Test
    void an_item_without_its_etag_is_named_not_taken() {
        ErpJson.Page page = ErpJson.items(new TargetAnswer(200,
                "{\"items\":[{\"ItemId\":1,\"ItemNumber\":\"A\",\"OrganizationCode\":\"M1\",\"OnhandQuantity\":3}],\"hasMore\":false}"));
        assertTrue(page.items().isEmpty());
        assertEquals(java.util.List.of("A|M1"), page.withoutEtag());
    }

    @Test
    void a_batch_answer_keeps_the_current_item_only_for_a_stale_part() {
        String item = "{\"ItemId\":7,\"ItemNumber\":\"B\",\"OrganizationCode\":\"M2\",\"OnhandQuantity\":5,\"links\":[{\"rel\":\"self\","
                + "\"properties\":{\"changeIndicator\":\"E2\"}}]}";
        String body = "{\"parts\":[{\"id\":\"part1\",\"preconditionSucceeded\":true,\"payload\":" + item + "},"
                + "{\"id\":\"part2\",\"payload\":" + item + ",\"preconditionSucceeded\":false},{\"id\":\"part3\"}]}";
        BatchOutcome o = ErpJson.batchOutcome(new TargetAnswer(200, body), Set.of("part1", "part2", "part3"));
        assertEquals(Set.of("part1", "part3"), o.updated());
        assertEquals("E2", o.stale().get("part2").version(), "the payload after the flag is read too");
        BatchOutcome odd = ErpJson.batchOutcome(new TargetAnswer(200, "{\"parts\":[{\"id\":\"part9\"}]}"), Set.of("part1", "part2"));
        assertEquals(Set.of("part1", "part2"), odd.unanswered(), "parts the answer leaves out may or may not have applied");
        assertEquals(Set.of("part9"), odd.unknown());
        assertThrows(UnreadableAnswer.class, () -> ErpJson.batchOutcome(new TargetAnswer(200, "{\"parts\":[{\"id\":\"part1\"}"), Set.of("part1")));
        for (int cut = 1; cut < body.length(); cut++) {
            String half = body.substring(0, cut);
            assertThrows(UnreadableAnswer.class, () -> ErpJson.batchOutcome(new TargetAnswer(200, half), Set.of("part1", "part2", "part3")),
                    "an answer cut after " + cut + " characters is never taken for a whole one");
        }
    }

    @Test
    void every_erp_body_writes_plain_numbers_never_exponent_form() {
        java.math.BigDecimal ten = new java.math.BigDecimal("10.0000").stripTrailingZeros();
        assertEquals("1E+1", ten.toString(), "the value as a stripped BigDecimal holds it");
        java.util.Map<String, Object> patch = new java.util.LinkedHashMap<>();
        patch.put("Quantity", ten);
        patch.put("Notes", "x");
        assertEquals("{\"Quantity\":10,\"Notes\":\"x\"}", ErpJson.body(patch), "a BOM PATCH body");
        assertTrue(ErpJson.batchBody(java.util.List.of(new VersionedWrite("part1", "7", "\"E1\"", new java.math.BigDecimal("2E+2"))))
                .contains("\"OnhandQuantity\":200"), "the batch body too");
    }

    @Test
    void the_body_kept_from_a_huge_answer_is_cut_to_2_kb() {
        UnreadableAnswer e = new UnreadableAnswer("x", 200, "y".repeat(10_000));
        assertEquals(2048, e.body().length());
    }

    @Test
    void a_rolled_back_batch_lists_failed_parts_and_the_rest_as_rolled_back() {
        String body = "{\"parts\":[{\"id\":\"part2\",\"exception\":{\"status\":409,\"title\":\"RECORD_LOCKED\","
                + "\"detail\":\"Item ITM-2 locked by user FUSION_BATCH\"}}]}";
        BatchOutcome o = ErpJson.batchOutcome(new TargetAnswer(400, body), Set.of("part1", "part2", "part3"));
        assertEquals(io.erpsync.core.FailureClass.RECORD_LOCKED, o.failed().get("part2").failureClass());
        assertEquals("FUSION_BATCH", o.failed().get("part2").holder());
        assertEquals(Set.of("part1", "part3"), o.rolledBack());
    }

    @Test
    void the_erp_message_is_read_from_each_error_body_form() {
        assertEquals("RECORD_LOCKED: Item ITM-2847 locked by user FUSION_BATCH",
                ErpJson.errorMessage("{\"error\": \"RECORD_LOCKED\", \"detail\": \"Item ITM-2847 locked by user FUSION_BATCH\"}"));
        assertEquals("Bad Request: quantity invalid",
                ErpJson.errorMessage("{\"title\": \"Bad Request\", \"status\": \"400\", \"o:errorDetails\": [{\"detail\": \"quantity invalid\"}]}"));
        assertEquals("Service down", ErpJson.errorMessage("Service down"));
    }

    @Test
    void item_query_literals_double_their_quotes_and_are_url_encoded() {
        TargetRequest r = RestQuery.items("M1", java.util.List.of("O'NEIL"));
        assertEquals("q=OrganizationCode%20%3D%20%27M1%27%20and%20ItemNumber%20in%20%28%27O%27%27NEIL%27%29&limit=500&offset=0", r.query());
    }

    static String item(long id, String number, String quantity, String etag) {
        return "{\"ItemId\":" + id + ",\"ItemNumber\":\"" + number + "\",\"OrganizationCode\":\"M1\"" + (quantity == null ? "" : ",\"OnhandQuantity\":" + quantity)
                + ",\"Description\":\"skipped\",\"links\":[{\"rel\":\"canonical\",\"properties\":{\"changeIndicator\":\"WRONG\"}},"
                + "{\"rel\":\"self\",\"properties\":{\"changeIndicator\":\"" + etag + "\"}}]}";
    }

    static String message(int status, String body) {
        return assertThrows(UnreadableAnswer.class, () -> ErpJson.batchOutcome(new TargetAnswer(status, body), Set.of("part1", "part2"))).getMessage();
    }

    @Test
    void a_collection_read_gives_each_items_onhand_quantity_and_the_etag_of_its_self_link() {
        ErpJson.Page page = ErpJson.items(new TargetAnswer(200, "{\"items\":[" + item(1, "A", "12.5", "E1") + "," + item(2, "B", null, "E2") + ","
                + item(3, "C", "\"lots\"", "E3") + "],\"hasMore\":true}"));
        assertEquals(List.of(new ItemState("1", "A", "M1", new BigDecimal("12.5"), "E1"), new ItemState("2", "B", "M1", null, "E2"),
                new ItemState("3", "C", "M1", null, "E3")), page.items(), "a missing or non-numeric quantity is none");
        assertTrue(page.hasMore());
        assertEquals(List.of(), page.withoutEtag());
        assertEquals(false, ErpJson.items(new TargetAnswer(200, "{\"items\":[]}")).hasMore(), "no hasMore is the last page");
    }

    @Test
    void a_collection_read_coerces_as_databind_does_and_a_cut_short_one_is_never_taken() {
        String body = "{\"items\":[{\"ItemId\":\"12\",\"ItemNumber\":7,\"OrganizationCode\":\"M1\",\"OnhandQuantity\":0.1,"
                + "\"Extra\":{\"a\":[1,{\"b\":null}]},\"links\":[null,{\"rel\":\"self\",\"href\":\"x\",\"properties\":{\"changeIndicator\":5}}]}],"
                + "\"hasMore\":\"true\"}";
        ErpJson.Page page = ErpJson.items(new TargetAnswer(200, body));
        assertEquals(List.of(new ItemState("12", "7", "M1", new BigDecimal("0.1"), "5")), page.items());
        assertTrue(page.hasMore());
        for (int cut = 1; cut < body.length(); cut++) {
            String half = body.substring(0, cut);
            assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new TargetAnswer(200, half)), "cut after " + cut + " characters");
        }
        assertTrue(assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new TargetAnswer(200, "{\"items\":[{\"ItemId\":{}}]}")))
                .getMessage().startsWith("the items collection does not fit the contract"), "an id that is an object");
    }

    @Test
    void a_collection_without_items_or_with_an_item_without_its_identity_is_unreadable() {
        assertEquals("the items collection has no items array (HTTP 200)",
                assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new TargetAnswer(200, "{\"hasMore\":false}"))).getMessage());
        for (String items : List.of("[null]", "[{\"ItemNumber\":\"A\"}]", "[{\"ItemId\":1}]")) {
            String m = assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new TargetAnswer(200, "{\"items\":" + items + "}"))).getMessage();
            assertTrue(m.startsWith("an item without ItemId or ItemNumber"), items + ": " + m);
        }
        assertTrue(assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new TargetAnswer(200, null))).getMessage().contains("not JSON"));
    }

    @Test
    void the_batch_body_carries_only_the_quantity_with_each_parts_if_match() {
        assertEquals("{\"parts\":[{\"id\":\"part1\",\"path\":\"/items/7\",\"operation\":\"update\",\"ifMatch\":\"E1\","
                        + "\"payload\":{\"OnhandQuantity\":12.5}},{\"id\":\"part2\",\"path\":\"/items/8\",\"operation\":\"update\","
                        + "\"ifMatch\":\"E2\",\"payload\":{\"OnhandQuantity\":100}}]}",
                ErpJson.batchBody(List.of(new VersionedWrite("part1", "7", "E1", new BigDecimal("12.5")),
                        new VersionedWrite("part2", "8", "E2", new BigDecimal("1E+2")))));
    }

    @Test
    void a_stale_part_without_a_usable_item_is_read_again_and_an_updated_parts_payload_is_not_read() {
        String body = "{\"parts\":[{\"id\":\"part1\",\"preconditionSucceeded\":false},"
                + "{\"id\":\"part2\",\"preconditionSucceeded\":false,\"payload\":{\"ItemNumber\":\"B\"}},"
                + "{\"id\":\"part3\",\"preconditionSucceeded\":false,\"payload\":\"gone\"},"
                + "{\"id\":\"part4\",\"preconditionSucceeded\":true,\"payload\":{\"ItemId\":\"not a number\"}},"
                + "{\"id\":\"part5\",\"preconditionSucceeded\":\"false\"},{\"id\":\"part6\",\"preconditionSucceeded\":false,"
                + "\"payload\":" + item(6, "F", "1", "E6") + "},{\"id\":\"part7\",\"preconditionSucceeded\":false,\"payload\":"
                + item(7, "G", "1", "E7").replace("\"ItemNumber\":\"G\",", "") + "}],\"etc\":{\"x\":[1]}}";
        BatchOutcome o = ErpJson.batchOutcome(new TargetAnswer(200, body), Set.of("part1", "part2", "part3", "part4", "part5", "part6", "part7"));
        assertEquals(Set.of("part4", "part5"), o.updated(), "a flag that is not false is no skip");
        assertEquals(Set.of("part1", "part2", "part3", "part6", "part7"), o.stale().keySet());
        assertNull(o.stale().get("part7"), "an item without its ItemNumber");
        assertNull(o.stale().get("part1"));
        assertNull(o.stale().get("part2"), "an item without its ItemId");
        assertNull(o.stale().get("part3"));
        assertEquals(new ItemState("6", "F", "M1", BigDecimal.ONE, "E6"), o.stale().get("part6"));
        assertEquals(Set.of(), o.unanswered());
        assertEquals(Set.of(), o.unknown());
    }

    @Test
    void parts_with_no_id_or_an_id_never_sent_are_unknown() {
        BatchOutcome o = ErpJson.batchOutcome(new TargetAnswer(200, "{\"parts\":[{\"id\":null},{\"id\":\"part7\"},{\"id\":\"part1\"}]}"),
                Set.of("part1", "part2"));
        assertEquals(Set.of("null", "part7"), o.unknown());
        assertEquals(Set.of("part1"), o.updated());
        assertEquals(Set.of("part2"), o.unanswered());
    }

    @Test
    void a_batch_answer_that_is_no_object_or_has_no_parts_or_parts_that_are_not_objects_is_unreadable() {
        assertEquals("a batch answer without parts (HTTP 200)", message(200, "{\"status\":\"ok\"}"));
        assertEquals("the batch answer is not JSON (not an object) (HTTP 200)", message(200, "[]"));
        assertEquals("the batch answer is not JSON (not an object) (HTTP 200)", message(200, null));
        assertEquals("the batch answer is cut short (its parts do not end) (HTTP 200)", message(200, "{\"parts\":[{\"id\":\"part1\"},7]}"));
        assertTrue(message(200, "{\"parts\":[]").startsWith("the batch answer does not fit the contract"));
    }

    @Test
    void a_400_without_parts_refuses_the_whole_batch() {
        assertNull(ErpJson.batchOutcome(new TargetAnswer(400, "{\"parts\":[]}"), Set.of("part1", "part2")));
        assertNull(ErpJson.batchOutcome(new TargetAnswer(400, "{\"title\":\"Bad Request\"}"), Set.of("part1", "part2")));
    }

    @Test
    void a_failed_part_without_an_exception_or_a_known_id_is_unreadable() {
        assertEquals("a failed batch part without a known id or an exception (HTTP 400)", message(400, "{\"parts\":[{\"id\":\"part1\"}]}"));
        assertEquals("a failed batch part without a known id or an exception (HTTP 400)",
                message(400, "{\"parts\":[{\"id\":\"part1\",\"exception\":\"locked\"}]}"));
        assertEquals("a failed batch part without a known id or an exception (HTTP 400)",
                message(400, "{\"parts\":[{\"id\":\"part9\",\"exception\":{\"status\":409}}]}"));
        assertEquals("a failed batch part without a known id or an exception (HTTP 400)",
                message(400, "{\"parts\":[{\"exception\":{\"status\":409}}]}"));
    }

    @Test
    void a_failed_parts_status_is_its_own_as_number_or_text_else_the_answers() {
        String body = "{\"parts\":[{\"id\":\"p1\",\"exception\":{\"status\":412}},{\"id\":\"p2\",\"exception\":{\"status\":\" 409 \","
                + "\"title\":\"RECORD_LOCKED\"}},{\"id\":\"p3\",\"exception\":{\"status\":\"Conflict\",\"detail\":\"d\"}},"
                + "{\"id\":\"p4\",\"exception\":{}},{\"id\":\"p5\",\"exception\":{\"status\":[1]}}]}";
        BatchOutcome o = ErpJson.batchOutcome(new TargetAnswer(400, body), Set.of("p1", "p2", "p3", "p4", "p5", "p6"));
        assertEquals(Map.of("p1", new PartFailure(FailureClass.STALE_ETAG, 412, "", null),
                "p2", new PartFailure(FailureClass.RECORD_LOCKED, 409, "RECORD_LOCKED", null),
                "p3", new PartFailure(FailureClass.REJECTED, 400, ": d", null), "p4", new PartFailure(FailureClass.REJECTED, 400, "", null),
                "p5", new PartFailure(FailureClass.REJECTED, 400, "", null)), o.failed());
        assertEquals(Set.of("p6"), o.rolledBack());
    }

    @Test
    void an_error_body_without_known_fields_or_not_json_is_kept_as_it_came() {
        assertEquals("", ErpJson.errorMessage(null));
        assertEquals("", ErpJson.errorMessage("   "));
        assertEquals("{\"code\":7}", ErpJson.errorMessage("{\"code\":7}"));
        assertEquals("Forbidden", ErpJson.errorMessage("{\"title\":\"Forbidden\",\"error\":null}"));
        assertEquals("x".repeat(2048), ErpJson.errorMessage("x".repeat(5000)));
    }

    @Test
    void the_scheduled_processes_are_read_with_their_states() {
        assertEquals(List.of(new ErpJson.Job("ItemCostUpdate", "RUNNING"), new ErpJson.Job("", "")),
                ErpJson.jobs(new TargetAnswer(200, "{\"items\":[{\"jobDefinitionName\":\"ItemCostUpdate\",\"state\":\"RUNNING\"},{}]}")));
        assertEquals("the scheduled-process answer has no items array (HTTP 200)",
                assertThrows(UnreadableAnswer.class, () -> ErpJson.jobs(new TargetAnswer(200, "{\"items\":{}}"))).getMessage());
        assertEquals("the scheduled-process answer has no items array (HTTP 200)",
                assertThrows(UnreadableAnswer.class, () -> ErpJson.jobs(new TargetAnswer(200, "{}"))).getMessage());
        assertEquals("the scheduled-process answer is not a JSON object (HTTP 200)",
                assertThrows(UnreadableAnswer.class, () -> ErpJson.jobs(new TargetAnswer(200, "[1]"))).getMessage());
        assertEquals("the scheduled-process answer is not a JSON object (HTTP 200)",
                assertThrows(UnreadableAnswer.class, () -> ErpJson.jobs(new TargetAnswer(200, null))).getMessage());
        assertTrue(assertThrows(UnreadableAnswer.class, () -> ErpJson.jobs(new TargetAnswer(503, "<html>"))).getMessage()
                .startsWith("the scheduled-process answer is not JSON: "));
    }
}
