package io.erpsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.JarProcess;
import io.erpsync.check.HistoryChecker;
import io.erpsync.sandbox.Faults;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

/**
 * Stopped by SIGTERM mid-cycle, or a database lost at start or mid-cycle: the run stops or fails as it
 * should, keeps its watermark, and the next one converges ({@link RestartHarness}).
 */
class OutageRestartIT extends RestartHarness {
    @Test
    void sigterm_mid_cycle_stops_within_the_shutdown_timeout_and_the_next_cycle_converges() throws Exception {
        settings.put("sync.schedule.enabled", "true");
        settings.put("sync.cron", "0/2 * * * * ?");
        erp.faults().hold(Faults.Match.WRITE, 1);
        JarProcess p = start();
        awaitHeld(p);

        Instant asked = Instant.now();
        p.terminate();
        p.waitFor(Duration.ofSeconds(5 + 25));
        Duration took = Duration.between(asked, Instant.now());
        erp.faults().release(true);

        assertTrue(took.toSeconds() < 5 + 25, "stopped in " + took + " with camel.main.shutdown-timeout = 5");
        assertTrue(p.stderr().contains("shutting down (timeout:5s"), "Camel's graceful shutdown ran: " + tail(p.stderr()));
        converge();
        assertEquals("FAILED", storeText("SELECT status FROM sync_run ORDER BY id FETCH FIRST 1 ROWS ONLY"),
                "the cut-off run is recorded as FAILED, not left RUNNING");
    }

    @Test
    void an_unreachable_store_at_start_stops_with_one_message_and_exit_1() throws Exception {
        settings.put("store.datasource.url", "jdbc:h2:tcp://127.0.0.1:1/mem:nowhere;password=hunter2");
        JarProcess p = start("--once");

        int exit = p.waitFor(RUN_LIMIT);

        assertEquals(1, exit);
        String err = p.stderr();
        assertTrue(err.contains("erp-sync cannot start: the store database (store.datasource.url = jdbc:h2:tcp://127.0.0.1:1/mem:nowhere;"
                + "password=***) cannot be reached"), err);
        assertFalse(err.contains("hunter2"), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertEquals(0, clientWrites());
    }

    @Test
    void the_store_lost_mid_cycle_fails_the_run_keeps_the_watermark_and_the_next_run_converges() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", h2.getPort())) {
            settings.put("store.datasource.url", storeUrl.replace(":" + h2.getPort() + "/", ":" + proxy.port() + "/"));
            JarProcess p = cutWhileHeld(proxy, Faults.Match.WRITE);

            assertNotEquals("SUCCEEDED", lastStatus(p), p.stderr());
            JsonNode next = once();
            assertEquals(ITEMS, next.path("read").asInt(), "the watermark stayed: every row is read again " + next);
            checker.assertHolds();
            assertEquals(ITEMS, checker.check().synced());
        }
    }

    @Test
    void the_wms_lost_mid_read_fails_the_run_keeps_the_watermark_and_the_next_run_converges() throws Exception {
        for (int n = ITEMS + 1; n <= 200; n++) {
            wms.wmsItem(n, 7000 + n);
        }
        for (int round = 0; round < 12; round++) {
            for (int n = 1; n <= 200; n++) {
                wms.wmsItem(n, 8000 + round * 1000 + n);
            }
        }
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", h2.getPort())) {
            settings.put("wms.datasource.url", settings.get("wms.datasource.url").replace(":" + h2.getPort() + "/", ":" + proxy.port() + "/"));
            // small batches and lane queues: the read waits for the lanes, so it is still open when the WMS goes
            settings.put("sync.batch-size", "10");
            settings.put("sync.read-size", "10");
            settings.put("sync.lane.queue-size", "1");
            JarProcess p = cutWhileHeld(proxy, Faults.Match.READ);

            JsonNode failed = new ObjectMapper().readTree(p.stdout().trim());
            assertEquals("FAILED", failed.path("status").asText(), failed.toString());
            assertEquals(0, storeCount("SELECT COUNT(*) FROM sync_watermark"), "no watermark was committed");
            for (int i = 0; i < 3 && !"SUCCEEDED".equals(once().path("status").asText()); i++) {
                // a run that parks nothing and fails nothing
            }
            HistoryChecker.Report r = checker.assertHolds();
            assertEquals(200, r.synced(), r.toString());
        }
    }

    static String tail(String s) {
        return s.length() <= 3000 ? s : "..." + s.substring(s.length() - 3000);
    }

    String lastStatus(JarProcess p) throws Exception {
        String out = p.stdout().trim();
        return out.isEmpty() ? "(no summary)" : new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1)).path("status").asText();
    }

    /** A --once held at its first ERP request of this kind; the database behind the proxy goes meanwhile and is back once it ended. */
    JarProcess cutWhileHeld(TcpProxy proxy, Faults.Match match) throws Exception {
        erp.faults().hold(match, 1);
        JarProcess p = start("--once");
        awaitHeld(p);
        proxy.cut();
        erp.faults().release(false);
        p.waitFor(RUN_LIMIT);
        proxy.restore();
        return p;
    }
}
