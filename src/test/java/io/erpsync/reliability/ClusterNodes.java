package io.erpsync.reliability;

import io.erpsync.JarProcess;
import io.erpsync.TestRuntime;
import io.erpsync.sandbox.SandboxErp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.h2.tools.Server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Nodes of the jar in cluster mode as separate processes, each named as a host of its own, on one
 * embedded PostgreSQL store, with the WMS in an H2 server and the sandbox ERP in the test's JVM.
 */
final class ClusterNodes implements AutoCloseable {
    final EmbeddedPostgres pg;
    final Server h2;
    final SandboxErp erp;
    final String storeUrl;
    final String wmsUrl;
    final TestRuntime wms;
    final Map<String, String> settings;
    final List<JarProcess> nodes = new ArrayList<>();
    private final Path dir;

    /** A run as sync_run records it. */
    record Run(long id, String status, Instant startedAt, Instant finishedAt, String node) {
    }

    /** Cluster mode firing every two seconds; {@code overrides} on top. */
    ClusterNodes(Path dir, Map<String, String> overrides) throws Exception {
        this.dir = dir;
        pg = EmbeddedPostgres.builder().start();
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        erp = TestRuntime.sandbox(200);
        storeUrl = pg.getJdbcUrl("postgres", "postgres");
        wmsUrl = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/mem:wms-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        wms = new TestRuntime(erp, wmsUrl, storeUrl).set("cluster.enabled", "true").set("sync.schedule.enabled", "true")
                .set("sync.cron", "0/2 * * * * ?").set("camel.main.shutdown-timeout", "5")
                .set("sync.retry.initial-delay", "100ms").set("sync.retry.max-delay", "500ms");
        overrides.forEach(wms::set);
        settings = new LinkedHashMap<>(wms.settings());
        JarProcess.install(dir);
    }

    /** A node as if on a host of its own (HOSTNAME): its liveness is Quartz's check-ins, not this machine's process table. */
    JarProcess node() throws Exception {
        JarProcess p = JarProcess.start(dir, Map.of("CAMEL_MAIN_PROFILE", "prod", "HOSTNAME", "node-" + (nodes.size() + 1)), settings);
        nodes.add(p);
        return p;
    }

    /** The node that ran {@code r}. */
    JarProcess nodeOf(Run r) {
        return nodes.stream().filter(p -> r.node().startsWith(p.pid() + "@")).findFirst().orElseThrow();
    }

    /** The runs that match {@code where} (SQL on sync_run), oldest first; none before a node has migrated the store. */
    List<Run> runs(String where) throws Exception {
        List<Run> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(storeUrl); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, status, started_at, finished_at, node FROM sync_run WHERE " + where + " ORDER BY id")) {
            while (rs.next()) {
                java.sql.Timestamp f = rs.getTimestamp(4);
                out.add(new Run(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), f == null ? null : f.toInstant(),
                        rs.getString(5)));
            }
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "42703".equals(e.getSQLState())) {
                return out;
            }
            throw e;
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        for (JarProcess p : nodes) {
            if (p.isAlive()) {
                new ProcessBuilder("kill", "-CONT", String.valueOf(p.pid())).start().waitFor();
            }
            p.kill();
            // the nodes' logs, for a failure's reader (the folder goes with the test)
            String err = p.stderr();
            System.out.println("---- node " + p.pid() + " stderr (tail)\n" + err.substring(Math.max(0, err.length() - 8000)));
        }
        erp.faults().release(true);
        erp.close();
        h2.stop();
        pg.close();
    }
}
