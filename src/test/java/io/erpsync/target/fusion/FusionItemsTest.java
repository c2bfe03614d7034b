package io.erpsync.target.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.target.ItemState;
import io.erpsync.target.StateReads;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;
import io.erpsync.target.VersionedWrite;
import io.erpsync.wms.StockLevel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The ERP's reads and writes behind the target seam. */
class FusionItemsTest {
    static final String WITHOUT_ETAG = "{\"items\":[{\"ItemId\":1,\"ItemNumber\":\"A\",\"OrganizationCode\":\"M1\",\"OnhandQuantity\":3}]}";

    static StockLevel level(String item, String org) {
        return new StockLevel(item, org, BigDecimal.ONE, Instant.EPOCH, org, 1);
    }

    @Test
    void one_read_asks_for_our_fields_of_these_items_in_their_organizations() {
        TargetRequest r = new FusionItems().request(List.of(level("B", "M2"), level("A", "M1"), level("C", "M1")));
        assertEquals("GET", r.method());
        assertEquals(FusionRequests.VERSION_ROOT + "/items", r.path());
        assertEquals("q=OrganizationCode%20in%20%28%27M1%27%2C%27M2%27%29%20and%20ItemNumber%20in%20%28%27B%27%2C%27A%27%2C%27C%27%29"
                + "&limit=500&offset=0&fields=ItemId%2CItemNumber%2COrganizationCode%2COnhandQuantity", r.query());
        assertEquals(500, new FusionItems().maxItems());
    }

    @Test
    void items_read_without_their_etag_are_read_again_whole_then_the_answer_is_refused() {
        FusionItems items = new FusionItems();
        StateReads.StateRead first = items.read(new TargetAnswer(200, WITHOUT_ETAG));
        assertTrue(first.again(), "nothing of a narrow read without ETags is used");
        assertFalse(items.request(List.of(level("A", "M1"))).query().contains("fields="), "the next reads ask for whole items");
        UnreadableAnswer e = assertThrows(UnreadableAnswer.class, () -> items.read(new TargetAnswer(200, WITHOUT_ETAG)));
        assertFalse(e.readingAgainHelps(), "whole items without ETags break the contract: reading again cannot help");
    }

    @Test
    void items_found_are_keyed_by_number_and_organization_and_a_cut_short_answer_says_so() {
        String body = "{\"items\":[" + ErpJsonTest.item(7, "A", "2", "E7") + "],\"hasMore\":true}";
        StateReads.StateRead read = new FusionItems().read(new TargetAnswer(200, body));
        assertEquals(Map.of("A|M1", new ItemState("7", "A", "M1", new BigDecimal("2"), "E7")), read.found());
        assertTrue(read.cutShort());
        assertFalse(read.again());
    }

    @Test
    void a_write_is_one_batch_whose_400_lists_the_failed_parts() {
        FusionItems items = new FusionItems();
        TargetRequest r = items.request(List.of(new VersionedWrite("part1", "7", "E7", BigDecimal.TEN)));
        assertEquals("POST", r.method());
        assertEquals(FusionRequests.BATCH_TYPE, r.contentType());
        assertEquals("{\"parts\":[{\"id\":\"part1\",\"path\":\"/items/7\",\"operation\":\"update\",\"ifMatch\":\"E7\","
                + "\"payload\":{\"OnhandQuantity\":10}}]}", r.body());
        assertTrue(r.isAnswer(400) && r.isAnswer(200));
        assertFalse(r.isAnswer(409) || r.isAnswer(503));
        assertEquals(Set.of("part1"), items.outcome(new TargetAnswer(400,
                "{\"parts\":[{\"id\":\"part1\",\"exception\":{\"status\":409,\"title\":\"RECORD_LOCKED\"}}]}"), Set.of("part1")).failed().keySet());
    }
}
