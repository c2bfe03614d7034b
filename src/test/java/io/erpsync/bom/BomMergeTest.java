package io.erpsync.bom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The three-way merge of a BOM change, field by field, against the component as the ERP holds it. */
class BomMergeTest {

    /** A change owning the given fields, each as name, old, wanted. */
    static BomChange change(Object... nameOldWanted) {
        Map<String, BomChange.Field> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameOldWanted.length; i += 3) {
            fields.put((String) nameOldWanted[i], new BomChange.Field(nameOldWanted[i + 1], nameOldWanted[i + 2]));
        }
        return new BomChange(1, 10, 100L, null, fields, "planner", Instant.parse("2026-03-03T08:00:00Z"), 1);
    }

    static Map<String, Object> erp(Object... nameValue) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    static BigDecimal n(String s) {
        return new BigDecimal(s);
    }

    /** The change of most tests: Quantity 2 to 3, SupplyType Push to Pull. */
    static BomMerge.Decision quantityAndSupplyAgainst(Object... erp) {
        return BomMerge.merge(change("Quantity", n("2"), n("3"), "SupplyType", "Push", "Pull"), erp(erp));
    }

    @Test
    void a_field_the_erp_still_holds_at_the_old_value_is_sent_at_the_new_one() {
        BomMerge.Decision d = quantityAndSupplyAgainst("Quantity", n("2"), "SupplyType", "Push", "Remarks", "someone else's");
        assertEquals(new BomMerge.Decision(Map.of("Quantity", n("3"), "SupplyType", "Pull"), List.of()), d);
        assertFalse(d.alreadyApplied() || d.conflicted());
    }

    @Test
    void a_field_the_erp_already_holds_at_the_new_value_is_not_sent_and_a_change_all_there_is_already_applied() {
        assertEquals(Map.of("SupplyType", "Pull"), quantityAndSupplyAgainst("Quantity", n("3"), "SupplyType", "Push").send());
        BomMerge.Decision all = quantityAndSupplyAgainst("Quantity", n("3"), "SupplyType", "Pull");
        assertEquals(new BomMerge.Decision(Map.of(), List.of()), all);
        assertTrue(all.alreadyApplied());
        assertFalse(all.conflicted());
    }

    @Test
    void a_third_value_is_a_conflict_and_nothing_of_the_change_is_sent() {
        BomMerge.Decision d = quantityAndSupplyAgainst("Quantity", n("2"), "SupplyType", "Bulk");
        assertEquals(new BomMerge.Decision(Map.of(), List.of(new BomMerge.Conflict("SupplyType", "Push", "Pull", "Bulk"))), d,
                "not even the Quantity that could go");
        assertTrue(d.conflicted());
        assertFalse(d.alreadyApplied());
    }

    @Test
    void numbers_compare_by_value_whatever_their_scale_or_type() {
        BomMerge.Decision d = BomMerge.merge(change("Quantity", n("5"), n("7"), "LeadTimeOffset", n("1"), n("2")),
                erp("Quantity", 5.00, "LeadTimeOffset", "2.0"));
        assertEquals(Map.of("Quantity", n("7")), d.send(), "5.00 is the old 5; \"2.0\" is the wanted 2");

        assertEquals(List.of(new BomMerge.Conflict("Quantity", n("5"), n("7"), n("5.5"))),
                BomMerge.merge(change("Quantity", n("5"), n("7")), erp("Quantity", n("5.5"))).conflicts());
    }

    @Test
    void a_missing_number_is_only_the_same_as_a_missing_number() {
        assertEquals(Map.of("LeadTimeOffset", n("4")), BomMerge.merge(change("LeadTimeOffset", null, n("4")), erp()).send(),
                "the ERP has none and the requester saw none");
        assertTrue(BomMerge.merge(change("LeadTimeOffset", n("4"), null), erp()).alreadyApplied(), "it wanted none");
        assertEquals(List.of(new BomMerge.Conflict("LeadTimeOffset", null, n("4"), n("1"))),
                BomMerge.merge(change("LeadTimeOffset", null, n("4")), erp("LeadTimeOffset", n("1"))).conflicts());
        assertEquals(List.of(new BomMerge.Conflict("Quantity", n("1"), n("4"), null)),
                BomMerge.merge(change("Quantity", n("1"), n("4")), erp()).conflicts(), "the ERP's value went away");
    }

    @Test
    void text_compares_as_written_with_none_as_empty() {
        assertEquals(Map.of("Remarks", "check"), BomMerge.merge(change("Remarks", "", "check"), erp()).send(),
                "the requester saw no remark, the ERP has none");
        assertTrue(BomMerge.merge(change("Remarks", "x", ""), erp("Remarks", null)).alreadyApplied());
        assertEquals(List.of(new BomMerge.Conflict("Remarks", "", "check", "Check")),
                BomMerge.merge(change("Remarks", "", "check"), erp("Remarks", "Check")).conflicts(), "case counts in text");
        assertEquals(Map.of("Position", "20"), BomMerge.merge(change("Position", "10", "20"), erp("Position", 10)).send(),
                "a text field the ERP returns as a number reads as its text");
    }

    @Test
    void a_conflict_reads_with_the_three_values_for_the_exception_queue() {
        assertEquals("Quantity: was 5, ours 7, theirs (none)", new BomMerge.Conflict("Quantity", n("5"), n("7"), null).toString());
        assertEquals("Quantity: was 100, ours 1.5, theirs 6", new BomMerge.Conflict("Quantity", n("1E+2"), n("1.5"), 6).toString());
        assertEquals("SupplyType: was 'Push', ours 'Pull', theirs 'Bulk'",
                new BomMerge.Conflict("SupplyType", "Push", "Pull", "Bulk").toString());
    }
}
