package io.erpsync.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.core.CycleSummary;
import io.erpsync.store.ExceptionRow;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The dev profile's demo (README: See it work), sped up: the living warehouse and the busy ERP with
 * the settings' form, a few cycles, and what a newcomer is promised to see on the status page.
 */
class LivingDemoTest extends SandboxTest {

    @Override
    protected int sandboxItems() {
        return 200;
    }

    @Test
    void a_few_sped_up_demo_cycles_show_conflicts_park_an_item_replay_it_and_leave_the_erp_equal_to_the_wms() throws Exception {
        rt.set("sync.retry.lock-delays", "20ms,20ms").set("sync.retry.initial-delay", "20ms").set("sync.gate.poll-interval", "100ms").start();
        erp.knobs().editAfterReadRate = 0.05;
        erp.knobs().throttleRate = 0.02;
        erp.knobs().retryAfterSeconds = 0;
        DataSource wms = rt.bean("wmsDataSource", DataSource.class);
        SampleWarehouse.ensure(wms, erp, 200);
        LivingWarehouse living = new LivingWarehouse(wms, 20, Clock.systemUTC(), 7).start(Duration.ofMillis(100));
        // a planner's session the gate does not know, holding its locks until it ends (the gate's own job is GateLanesBreakerTest's)
        BusyErp busy = new BusyErp(erp).start(null, BusyErp.Plan.parse("unknown", "0s,0s,10m,0.2"), null);
        List<CycleSummary> cycles = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> erp.jobs().size() == 1);
            cycles.add(rt.runCycle());
            List<ExceptionRow> parked = rt.exceptions("OPEN");
            assertFalse(parked.isEmpty(), "the planner's locks parked items: " + cycles);
            assertTrue(parked.stream().allMatch(r -> "RECORD_LOCKED".equals(r.failureClass()) && "FUSION_BATCH".equals(r.lockOwner())),
                    parked.get(0).toString());

            erp.clearJobs();
            CycleSummary replay = rt.replay("class=RECORD_LOCKED");
            assertTrue(replay.updated() + replay.unchanged() > 0, "the replay after the lock is gone lands: " + replay);
            for (int i = 0; i < 3; i++) {
                cycles.add(rt.runCycle());
            }
        } finally {
            busy.close();
            living.close();
        }
        cycles.add(rt.runCycle());

        assertTrue(cycles.stream().mapToLong(CycleSummary::conflicts).sum() > 0, "stale versions met: " + cycles);
        assertTrue(cycles.stream().skip(1).mapToLong(CycleSummary::updated).sum() > 0, "the warehouse kept changing: " + cycles);
        Set<String> open = rt.exceptions("OPEN").stream().map(r -> r.itemNumber() + "|" + r.organizationCode()).collect(Collectors.toSet());
        int compared = 0;
        try (Connection c = DriverManager.getConnection(rt.wmsUrl); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT item_number, organization_code, quantity FROM stock_level")) {
            while (rs.next()) {
                if (open.contains(rs.getString(1) + "|" + rs.getString(2))) {
                    continue;
                }
                BigDecimal erpQty = new BigDecimal(String.valueOf(erp.item(rs.getString(1), rs.getString(2)).get("OnhandQuantity")));
                assertEquals(0, erpQty.compareTo(rs.getBigDecimal(3)), rs.getString(1) + " in " + rs.getString(2));
                compared++;
            }
        }
        assertEquals(200 - open.size(), compared, "every row not parked was compared");
    }

    @Test
    void a_job_plan_that_does_not_read_is_refused_with_the_setting_and_the_form() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BusyErp.Plan.parse("sandbox.busy.known-job", "90s,3m,0.1"));
        assertTrue(e.getMessage().contains("sandbox.busy.known-job") && e.getMessage().contains("first,every,lasting,share"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> BusyErp.Plan.parse("sandbox.busy.known-job", "90s,3m,1m,1.5"));
        assertEquals(null, BusyErp.Plan.parse("sandbox.busy.known-job", " "));
    }
}
