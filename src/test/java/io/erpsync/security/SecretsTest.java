package io.erpsync.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The ERP password and the store password, given as *-file secrets, never show up in anything the
 * runtime writes: its log, the run summaries, the store's tables (exception rows included), the
 * metrics, the health answers and the status page.
 */
class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void passwords_from_secret_files_appear_in_no_log_summary_table_metric_or_page() throws Exception {
        String erpPassword = "erp-" + UUID.randomUUID();
        String storePassword = "store-" + UUID.randomUUID();
        Path erpSecret = Files.writeString(dir.resolve("erp-password"), erpPassword + "\n");
        Path storeSecret = Files.writeString(dir.resolve("store-password"), storePassword + "\n");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        SandboxErp.Config c = new SandboxErp.Config();
        c.items = 60;
        c.password = erpPassword;
        List<String> written = new ArrayList<>();
        try (SandboxErp erp = new SandboxErp(c).start();
             TestRuntime rt = new TestRuntime(erp).managed().set("erp.password", "").set("erp.password-file", erpSecret.toString())
                     .set("store.datasource.username", "sa").set("store.datasource.password-file", storeSecret.toString())
                     .set("sync.retry.initial-delay", "20ms").set("sync.retry.lock-delays", "20ms").start()) {
            for (int n = 1; n <= 30; n++) {
                rt.wmsItem(n, 100 + n);
            }
            rt.wms("NO-SUCH-ITEM", "M1", "TOOLS", 5);
            erp.startJob("Cost Update", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(5),
                    erp.itemIds(List.of(SandboxItems.itemNumber(1)), "M1"));
            erp.faults().add(new Faults.Fault(Faults.Kind.STATUS, 503, 0, Faults.Match.WRITE), 1);
            CycleSummary first = rt.runCycle();
            assertEquals(CycleSummary.PARKED, first.status(), "a lock and an unknown item parked: " + first);
            // then the ERP refuses the credentials: the failure is reported, the password is not
            rt.wmsItem(2, 999);
            erp.faults().add(new Faults.Fault(Faults.Kind.STATUS, 401, 0, Faults.Match.ANY), 10);
            CycleSummary second = rt.runCycle();
            assertEquals(CycleSummary.FAILED, second.status());
            written.add(first.toString());
            written.add(second.toString());
            written.addAll(tables(rt));
            for (String path : List.of("/observe/metrics", "/observe/health", "/observe/health/ready", "/status/",
                    "/status/api/overview", "/status/api/exceptions")) {
                written.add(get(rt.managementUrl(path)));
            }
        } finally {
            root.detachAppender(log);
        }
        for (ILoggingEvent e : log.list) {
            written.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        assertTrue(written.stream().anyMatch(w -> w.contains("NO-SUCH-ITEM")), "the check read what the runtime wrote");
        assertTrue(log.list.size() > 20, "the log was captured: " + log.list.size());
        for (String w : written) {
            assertFalse(w.contains(erpPassword), "the ERP password in: " + w);
            assertFalse(w.contains(storePassword), "the store password in: " + w);
        }
    }

    /** Every row of every erp-sync table, as text. */
    static List<String> tables(TestRuntime rt) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = rt.store().getConnection(); Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    if (!"INFORMATION_SCHEMA".equalsIgnoreCase(rs.getString("TABLE_SCHEM"))) {
                        names.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            assertTrue(names.stream().anyMatch(n -> n.equalsIgnoreCase("sync_exception")), names.toString());
            for (String table : names) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int cols = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table).append(':');
                        for (int i = 1; i <= cols; i++) {
                            row.append(' ').append(rs.getString(i));
                        }
                        out.add(row.toString());
                    }
                }
            }
        }
        return out;
    }

    static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return url + " " + r.statusCode() + " " + r.body();
    }
}
