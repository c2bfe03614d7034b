package io.erpsync;

import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.SampleWarehouse;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.SyncRuns;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real runtime (Launcher's Main, the YAML routes under routes/) in the prod profile, wired to a
 * sandbox ERP on a loopback port and to in-memory H2 databases for the WMS and the store.
 */
public final class TestRuntime implements AutoCloseable {
    public static final String QUERY = "SELECT item_number, organization_code, category, quantity, updated_at FROM stock_level "
            + "WHERE updated_at > :?since ORDER BY updated_at";

    public final SandboxErp erp;
    public final String wmsUrl;
    public final String storeUrl;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private Main main;
    private int managementPort;
    /** WMS timestamps strictly increase across every runtime of the test JVM, like a real clock would. */
    private static final java.util.concurrent.atomic.AtomicLong LAST_MILLIS = new java.util.concurrent.atomic.AtomicLong();

    public TestRuntime(SandboxErp erp) {
        this(erp, "jdbc:h2:mem:wms-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    public TestRuntime(SandboxErp erp, String wmsUrl, String storeUrl) {
        this(erp, erp.baseUrl(), wmsUrl, storeUrl);
    }

    /** A runtime against an ERP elsewhere (a standalone sandbox): the sandbox helpers of this class are not available. */
    public TestRuntime(String erpBaseUrl, String wmsUrl, String storeUrl) {
        this(null, erpBaseUrl, wmsUrl, storeUrl);
    }

    private TestRuntime(SandboxErp erp, String erpBaseUrl, String wmsUrl, String storeUrl) {
        this.erp = erp;
        this.wmsUrl = wmsUrl;
        this.storeUrl = storeUrl;
        settings.put("camel.main.routes-reload-enabled", "false");
        settings.put("camel.main.jmx-enabled", "false");
        settings.put("camel.management.enabled", "false");
        settings.put("erp.base-url", erpBaseUrl);
        settings.put("erp.username", "integration.user");
        settings.put("erp.password", "sandbox");
        settings.put("wms.datasource.url", wmsUrl);
        settings.put("wms.query", QUERY);
        settings.put("store.datasource.url", storeUrl);
        settings.put("sync.schedule.enabled", "false");
        settings.put("sync.batch.completion-interval", "60s");
        // a run whose items never settle fails the test in minutes, not after the default half hour
        settings.put("sync.cycle.settle-timeout", System.getProperty("test.settle-timeout", "2m"));
        // the job gate is off unless a test is about it, so request counts are only the items' own
        settings.put("sync.gate.jobs", "");
        // and the request-rate cap is out of the way unless a test is about it
        settings.put("erp.max-requests-per-second", "10000");
        try {
            createWmsTable();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SandboxErp sandbox(int items) throws Exception {
        SandboxErp.Config c = new SandboxErp.Config();
        c.items = items;
        return new SandboxErp(c).start();
    }

    /**
     * Camel's management HTTP server on a free loopback port: health, metrics, Jolokia and the status
     * page, at {@link #managementUrl}.
     */
    public TestRuntime managed() throws java.io.IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            managementPort = probe.getLocalPort();
        }
        return set("camel.management.enabled", "true").set("camel.management.port", String.valueOf(managementPort));
    }

    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    /** The settings as given so far: what a runtime in another process (the jar) takes as -D options. */
    public Map<String, String> settings() {
        return java.util.Collections.unmodifiableMap(settings);
    }

    public TestRuntime set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    private String profile = "prod";

    /** The Camel profile the runtime starts in (prod unless a test is about another). */
    public TestRuntime profile(String profile) {
        this.profile = profile;
        return this;
    }

    public TestRuntime start() throws Exception {
        main = Launcher.newMain(profile);
        settings.forEach(main::addOverrideProperty);
        main.start();
        return this;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    public CycleSummary runCycle() {
        return io.erpsync.sync.CycleRunner.runCycle(context(), "TEST");
    }

    public CycleSummary replay(String filter) {
        return io.erpsync.sync.CycleRunner.runReplay(context(), filter);
    }

    public void stop() {
        if (main != null) {
            main.stop();
            main = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    // ---- the WMS side -----------------------------------------------------------------------

    private void createWmsTable() throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(wmsUrl); Statement st = c.createStatement()) {
            st.execute(SampleWarehouse.DDL);
        }
    }

    /** Writes a WMS row with a timestamp later than every earlier one. */
    public void wms(String item, String org, String category, Object quantity) throws SQLException {
        Instant clock = Instant.ofEpochMilli(LAST_MILLIS.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis())));
        try (Connection c = java.sql.DriverManager.getConnection(wmsUrl);
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO stock_level (item_number, organization_code, category, quantity, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, item);
            ps.setString(2, org);
            ps.setString(3, category);
            ps.setObject(4, quantity);
            ps.setTimestamp(5, Timestamp.from(clock));
            ps.executeUpdate();
        }
    }

    /** A WMS row for sandbox item n (its organization and category as the sandbox seeds them). */
    public void wmsItem(int n, Object quantity) throws SQLException {
        Map<String, Object> item = erp.item(SandboxItems.itemNumber(n), n % 2 == 1 ? "M1" : "M2");
        wms((String) item.get("ItemNumber"), (String) item.get("OrganizationCode"), (String) item.get("ItemCategory"), quantity);
    }

    /** Items 1, 11, 21 ...: organization M1, category ELECTRICAL as the sandbox seeds them, so one segment. */
    public static int sameSegment(int i) {
        return 1 + 10 * i;
    }

    /** Whether sandbox item n now holds this quantity. */
    public boolean lands(int n, long qty) {
        return BigDecimal.valueOf(qty).compareTo(erpQuantity(n)) == 0;
    }

    public BigDecimal erpQuantity(int n) {
        Map<String, Object> item = erp.item(SandboxItems.itemNumber(n), n % 2 == 1 ? "M1" : "M2");
        return new BigDecimal(String.valueOf(item.get("OnhandQuantity")));
    }

    public Map<String, Object> erpItem(int n) {
        return erp.item(SandboxItems.itemNumber(n), n % 2 == 1 ? "M1" : "M2");
    }

    public List<ExceptionRow> exceptions(String status) {
        return bean("exceptionQueue", ExceptionQueue.class).list(status);
    }

    public List<CycleSummary> runs() {
        return bean("syncRuns", SyncRuns.class).latest(100);
    }

    public DataSource store() {
        return bean("storeDataSource", DataSource.class);
    }
}
