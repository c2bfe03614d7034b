package io.erpsync.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.core.Texts;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.store.SyncRuns;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The store's database stops in the middle of a cycle and comes back: the run cannot record its end,
 * and the next run that takes the lease records it FAILED with the reason; no run stays RUNNING, and
 * the next cycle lands every item.
 */
class StoreOutageTest {
    SandboxErp erp;
    Server h2;
    int port;
    TestRuntime a;
    String storeUrl;
    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        erp = TestRuntime.sandbox(100);
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        port = h2.getPort();
        String id = UUID.randomUUID().toString();
        // a database file behind an H2 server: the server stops (the store is away) and starts again on the same port
        storeUrl = "jdbc:h2:tcp://127.0.0.1:" + port + "/" + dir.toAbsolutePath() + "/store";
        a = new TestRuntime(erp, "jdbc:h2:mem:wms-" + id + ";DB_CLOSE_DELAY=-1", storeUrl)
                .set("sync.batch-size", "5").set("sync.lanes", "1");
    }

    @AfterEach
    void close() {
        erp.faults().release(true);
        a.close();
        h2.stop();
        erp.close();
    }

    String status(long run) throws Exception {
        try (Connection c = DriverManager.getConnection(storeUrl); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status || ': ' || COALESCE(message, '') FROM sync_run WHERE id = " + run)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void a_run_whose_end_the_store_could_not_take_is_recorded_failed_by_the_next_run_and_nothing_stays_running() throws Exception {
        a.start();
        for (int i = 0; i < 10; i++) {
            a.wmsItem(TestRuntime.sameSegment(i), 800 + i);
        }
        erp.faults().hold(Faults.Match.WRITE, 1);
        CompletableFuture<Object> cycle = CompletableFuture.supplyAsync(() -> {
            try {
                return a.runCycle();
            } catch (RuntimeException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.faults().held() == 1);
        long run;
        try (Connection c = DriverManager.getConnection(storeUrl); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MAX(id) FROM sync_run")) {
            rs.next();
            run = rs.getLong(1);
        }

        h2.stop();
        erp.faults().release(false);
        Object ended = cycle.get(2, TimeUnit.MINUTES);
        // the cycle fails on the store: recorded FAILED where it could be, or its end refused by the store
        String why = ended instanceof CycleSummary s ? s.status() + " " + s.message() : Texts.causes((Throwable) ended);
        assertTrue(ended instanceof CycleSummary s ? CycleSummary.FAILED.equals(s.status()) : why.contains("StoreException"), why);
        assertTrue(why.toLowerCase(Locale.ROOT).contains("closed") || why.contains("StoreException")
                || why.toLowerCase(Locale.ROOT).contains("connection"), "the store's failure named: " + why);

        h2 = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        assertTrue(status(run).startsWith("RUNNING"), "the store was away when the run ended: " + status(run));
        // the runtime's pool gives up its broken connections once it finds them so (Hikari checks a connection idle for 0.5 s)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(600)).ignoreExceptions()
                .until(() -> a.bean("syncRuns", SyncRuns.class).history(1) != null);
        CycleSummary next = a.runCycle();

        assertEquals("FAILED", status(run).substring(0, status(run).indexOf(':')), status(run));
        assertTrue(status(run).contains("never recorded"), status(run));
        assertEquals(CycleSummary.SUCCEEDED, next.status(), next.toString());
        assertNotEquals(run, next.runId());
        for (int i = 0; i < 10; i++) {
            assertTrue(a.lands(TestRuntime.sameSegment(i), 800 + i), "item " + i);
        }
        assertTrue(a.bean("syncRuns", SyncRuns.class).history(10).stream().noneMatch(r -> "RUNNING".equals(r.summary().status())),
                "no run shows as running: " + a.bean("syncRuns", SyncRuns.class).history(10));
    }
}
