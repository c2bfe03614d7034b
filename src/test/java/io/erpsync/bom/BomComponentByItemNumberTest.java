package io.erpsync.bom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.sandbox.SampleWarehouse;
import io.erpsync.store.ExceptionRow;
import io.erpsync.sync.CycleRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * A BOM change that names its component by item number (component_item_number, no
 * component_sequence_id): found among the bill's components, page by page when the bill has more
 * than one page of them (the ERP pages a child collection as any collection, 500 at most).
 */
class BomComponentByItemNumberTest extends SandboxTest {
    long bill;
    long nextChange = 1;

    @BeforeEach
    void inbox() throws Exception {
        rt.set("bom.enabled", "true").set("sync.retry.lock-delays", "50ms,100ms").set("sync.retry.initial-delay", "50ms");
        try (Connection c = DriverManager.getConnection(rt.wmsUrl); Statement st = c.createStatement()) {
            st.execute(SampleWarehouse.BOM_DDL);
        }
        bill = erp.billIds().get(0);
    }

    /** A change of the component's quantity from the value the requester saw, {@code oldQty}, to {@code newQty}. */
    void request(String componentItem, Object oldQty, int newQty) throws Exception {
        BomInbox.quantityChange(rt.wmsUrl, nextChange++, bill, null, componentItem, oldQty, newQty,
                Instant.parse("2026-05-01T08:00:00Z").plusSeconds(nextChange));
    }

    boolean holds(long comp, int qty) {
        return new BigDecimal(String.valueOf(erp.component(bill, comp).get("Quantity"))).compareTo(BigDecimal.valueOf(qty)) == 0;
    }

    List<RequestLog.Entry> componentLists() {
        return erp.requests().entries().stream().filter(e -> e.method().equals("GET") && e.path().endsWith("/child/Component")).toList();
    }

    @Test
    void a_component_named_by_item_number_on_a_small_bill_is_found_in_one_read_and_changed() throws Exception {
        rt.start();
        long comp = erp.componentIds(bill).get(2);
        request(String.valueOf(erp.component(bill, comp).get("ComponentItemNumber")), erp.component(bill, comp).get("Quantity"), 77);

        CycleSummary s = bomCycle();

        assertEquals(1, s.updated(), s.toString());
        assertTrue(holds(comp, 77));
        assertEquals(1, componentLists().size(), "one page held the bill's components");
    }

    @Test
    void a_component_past_the_first_page_of_a_bill_of_many_parts_is_found_on_the_next_page_and_changed() throws Exception {
        rt.start();
        List<Long> added = erp.addComponents(bill, 700, i -> String.format("PART-%04d", i));
        long comp = added.get(650);

        request("PART-0650", 1, 12);
        CycleSummary s = bomCycle();

        assertEquals(1, s.updated(), s.toString() + " " + rt.exceptions("OPEN"));
        assertTrue(holds(comp, 12), "the component on the second page of 500");
        List<RequestLog.Entry> lists = componentLists();
        assertEquals(2, lists.size(), "two pages read: " + lists);
        assertTrue(lists.get(1).query().contains("offset=500"), lists.get(1).query());
    }

    @Test
    void an_item_number_on_two_components_on_different_pages_is_parked_asking_for_the_component_id() throws Exception {
        rt.start();
        erp.addComponents(bill, 700, i -> i == 10 || i == 600 ? "TWICE-USED" : String.format("PART-%04d", i));

        request("TWICE-USED", 1, 5);
        CycleSummary s = bomCycle();

        assertEquals(0, s.updated());
        List<ExceptionRow> open = rt.exceptions("OPEN");
        assertEquals(1, open.size(), open.toString());
        assertTrue(open.get(0).reason().contains("has 2 components TWICE-USED"), open.get(0).reason());
        assertEquals(0, erp.componentHistory().stream().filter(c -> c.by().equals("client")).count(), "nothing written");
    }

    CycleSummary bomCycle() {
        return CycleRunner.runBomCycle(rt.context());
    }
}
