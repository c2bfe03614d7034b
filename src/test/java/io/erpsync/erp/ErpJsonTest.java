package io.erpsync.erp;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErpJsonTest {

    @Test
    void a_collection_that_does_not_parse_is_an_unreadable_answer_keeping_the_body() {
        UnreadableAnswer e = assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new ErpAnswer(200, "<html>gateway</html>")));
        assertEquals("<html>gateway</html>", e.body());
        assertTrue(e.getMessage().contains("not JSON"));
        assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new ErpAnswer(200, "{\"items\":[{\"ItemNumber\":\"A\"}]}")));
        assertThrows(UnreadableAnswer.class, () -> ErpJson.items(new ErpAnswer(200, "{\"items\":{\"ItemNumber\":\"A\"}}")));
    }

    @Test
    void an_item_without_its_etag_is_named_not_taken() {
        ErpJson.Page page = ErpJson.items(new ErpAnswer(200,
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
        BatchOutcome o = ErpJson.batchOutcome(new ErpAnswer(200, body), Set.of("part1", "part2", "part3"));
        assertEquals(Set.of("part1", "part3"), o.updated());
        assertEquals("E2", o.stale().get("part2").changeIndicator(), "the payload after the flag is read too");
        BatchOutcome odd = ErpJson.batchOutcome(new ErpAnswer(200, "{\"parts\":[{\"id\":\"part9\"}]}"), Set.of("part1", "part2"));
        assertEquals(Set.of("part1", "part2"), odd.unanswered(), "parts the answer leaves out may or may not have applied");
        assertEquals(Set.of("part9"), odd.unknown());
        assertThrows(UnreadableAnswer.class, () -> ErpJson.batchOutcome(new ErpAnswer(200, "{\"parts\":[{\"id\":\"part1\"}"), Set.of("part1")));
        for (int cut = 1; cut < body.length(); cut++) {
            String half = body.substring(0, cut);
            assertThrows(UnreadableAnswer.class, () -> ErpJson.batchOutcome(new ErpAnswer(200, half), Set.of("part1", "part2", "part3")),
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
        assertTrue(ErpJson.batchBody(java.util.List.of(new QuantityUpdate("part1", 7L, "\"E1\"", new java.math.BigDecimal("2E+2"))))
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
        BatchOutcome o = ErpJson.batchOutcome(new ErpAnswer(400, body), Set.of("part1", "part2", "part3"));
        assertEquals(io.erpsync.core.FailureClass.RECORD_LOCKED, o.failed().get("part2").failureClass());
        assertEquals("FUSION_BATCH", o.failed().get("part2").lockOwner());
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
        ErpRequest r = RestQuery.items("M1", java.util.List.of("O'NEIL"));
        assertEquals("q=OrganizationCode%20%3D%20%27M1%27%20and%20ItemNumber%20in%20%28%27O%27%27NEIL%27%29&limit=500&offset=0", r.query());
    }
}
