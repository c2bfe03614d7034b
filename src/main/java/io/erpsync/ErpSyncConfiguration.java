package io.erpsync;

import com.zaxxer.hikari.HikariDataSource;
import io.erpsync.breaker.Deferrals;
import io.erpsync.breaker.ErpBreaker;
import io.erpsync.config.Durations;
import io.erpsync.config.RequiredSettings;
import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.conflict.ItemUpdates;
import io.erpsync.conflict.Parking;
import io.erpsync.conflict.Replays;
import io.erpsync.conflict.Retries;
import io.erpsync.conflict.RetryPolicy;
import io.erpsync.erp.ErpCredentials;
import io.erpsync.erp.ErpHttp;
import io.erpsync.erp.ErpRequestCounter;
import io.erpsync.gate.JobGate;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxSettings;
import io.erpsync.store.BreakerEvents;
import io.erpsync.store.Datasources;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.SyncAttempts;
import io.erpsync.store.SyncRuns;
import io.erpsync.store.Watermarks;
import io.erpsync.sync.Alerts;
import io.erpsync.sync.BatchPush;
import io.erpsync.sync.BatchWindows;
import io.erpsync.sync.Cycles;
import io.erpsync.sync.SegmentBatches;
import io.erpsync.wms.SampleWarehouse;
import io.erpsync.wms.StockRows;
import org.apache.camel.CamelConfiguration;
import io.erpsync.ops.LockReport;
import io.erpsync.ops.SyncHealth;
import io.erpsync.ops.SyncMetrics;
import io.erpsync.ops.RemoteJmx;
import io.erpsync.ops.StatusPage;
import io.erpsync.ops.SyncService;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/** All wiring in one place: settings are read, resources opened, beans bound for the routes by name. */
public final class ErpSyncConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ErpSyncConfiguration.class);

    @Override
    public void configure(CamelContext ctx) throws Exception {
        Settings s = new Settings(ctx.getPropertiesComponent());
        String profile = s.text("camel.main.profile", "dev");
        List<String> missing = RequiredSettings.missing(s);
        if (!missing.isEmpty() && !s.flag("sandbox.enabled", false)) {
            throw new StartupRefused(RequiredSettings.message(profile, missing));
        }
        // the throttle's scheduler keeps a periodic task; do not wait the default 10 s for it on stop
        ctx.getExecutorServiceManager().setShutdownAwaitTermination(1000);
        Resources resources = new Resources();
        ctx.addService(resources, true);
        Registry registry = ctx.getRegistry();
        Clock clock = Clock.systemUTC();

        SandboxErp sandbox = null;
        if (s.flag("sandbox.enabled", false)) {
            sandbox = resources.add(new SandboxErp(SandboxSettings.from(s)).start());
            if (s.find("erp.base-url").isEmpty() || s.integer("sandbox.port", 0) == 0) {
                Properties p = new Properties();
                p.setProperty("erp.base-url", sandbox.baseUrl());
                ctx.getPropertiesComponent().setOverrideProperties(p);
            }
            registry.bind("sandboxErp", sandbox);
        }

        HikariDataSource store = resources.add(Datasources.pool("store", s.required("store.datasource.url"),
                s.text("store.datasource.username", null), s.text("store.datasource.password", null), 8));
        Datasources.migrate(store);
        HikariDataSource wms = resources.add(Datasources.pool("wms", s.required("wms.datasource.url"),
                s.text("wms.datasource.username", null), s.text("wms.datasource.password", null), 4));
        if (s.flag("wms.sample.enabled", false) && sandbox != null) {
            SampleWarehouse.ensure(wms, sandbox, s.integer("wms.sample.rows", 500));
        }
        registry.bind("storeDataSource", store);
        registry.bind("wmsDataSource", wms);

        ExceptionQueue queue = new ExceptionQueue(store);
        SyncRuns runs = new SyncRuns(store);
        SyncAttempts attempts = new SyncAttempts(store);
        StockRows rows = StockRows.of(s.text("sync.segment.fields", "organization_code,category"));
        Parking parking = new Parking(queue, clock);
        Retries retries = new Retries(s.list("sync.retry.lock-delays", "2s,5s,10s").stream().map(d -> Durations.parse("sync.retry.lock-delays", d)).toList(),
                s.duration("sync.retry.initial-delay", Duration.ofSeconds(2)), s.duration("sync.retry.max-delay", Duration.ofSeconds(60)),
                s.integer("sync.retry.max-attempts", 5), s.integer("sync.retry.stale-attempts", 3), () -> ThreadLocalRandom.current().nextDouble());
        BatchWindows windows = BatchWindows.parse(s.text("sync.batch.windows", ""), s.integer("sync.batch-size", 50),
                ZoneId.of(s.text("sync.batch.zone", "UTC")));
        Cycles cycles = new Cycles(runs, new Watermarks(store), queue, rows, clock, windows,
                s.duration("sync.cycle.settle-timeout", Duration.ofMinutes(30)), "wms", s.flag("sync.full-reconcile", false),
                attempts, s.integer("sync.hot.cycles", 3), s.required("wms.query"));
        registry.bind("exceptionQueue", queue);
        registry.bind("syncRuns", runs);
        registry.bind("syncAttempts", attempts);
        registry.bind("cycles", cycles);
        registry.bind("segmentBatches", new SegmentBatches(s.integer("sync.lanes", 4)));
        registry.bind("parking", parking);
        registry.bind("retryPolicy", new RetryPolicy(retries, attempts, clock));
        registry.bind("batchPush", new BatchPush(queue, attempts, parking, clock));
        registry.bind("itemUpdates", new ItemUpdates(parking, queue, rows, retries, itemQuery(s), clock));
        registry.bind("replays", new Replays(cycles, queue));
        registry.bind("alerts", new Alerts(Double.parseDouble(s.text("sync.alert.parked-ratio", "0.05")),
                Double.parseDouble(s.text("sync.alert.conflict-rate", "0.10"))));
        registry.bind("lockReport", new LockReport(store, ZoneId.of(s.text("sync.batch.zone", "UTC"))));
        registry.bind("jobGate", new JobGate(s.list("sync.gate.jobs", ""), s.duration("sync.gate.poll-interval", Duration.ofSeconds(30)),
                s.duration("sync.gate.max-wait", Duration.ofMinutes(10)), s.text("sync.gate.on-timeout", "skip"),
                s.text("sync.gate.on-error", "proceed"), clock));
        registry.bind("erpBreaker", ErpBreaker.create(Float.parseFloat(s.text("sync.breaker.failure-rate", "30")),
                s.integer("sync.breaker.window", 20), s.integer("sync.breaker.minimum-calls", 10),
                s.duration("sync.breaker.open-duration", Duration.ofMinutes(5)), s.integer("sync.breaker.probes", 3),
                new BreakerEvents(store), clock));
        registry.bind("deferrals", new Deferrals());
        ErpCredentials credentials = ErpCredentials.of(s.text("erp.username", null), s.text("erp.password", null), s.text("erp.token", null));
        registry.bind("erpCredentials", credentials);
        registry.bind("erpHttp", new ErpHttp(credentials));
        registry.bind("syncMetrics", new SyncMetrics(ctx, attempts, queue, registry.lookupByNameAndType("erpBreaker", CircuitBreaker.class)));
        ctx.getManagementStrategy().addEventNotifier(new ErpRequestCounter());
        SyncService service = new SyncService(ctx, runs, queue, cycles, registry.lookupByNameAndType("jobGate", JobGate.class),
                registry.lookupByNameAndType("erpBreaker", CircuitBreaker.class),
                ctx.getExecutorServiceManager().newSingleThreadExecutor(resources, "erp-sync-run-now"), clock);
        registry.bind("syncService", service);
        registry.bind("statusPage", new StatusPage(service, runs, queue, registry.lookupByNameAndType("lockReport", LockReport.class),
                s.duration("management.status.report-window", Duration.ofDays(28)), clock,
                ctx.getExecutorServiceManager().newSingleThreadExecutor(resources, "erp-sync-page-replay")));
        if (s.flag("camel.main.jmx-enabled", true)) {
            registerSyncService(s, resources, service);
        }
        ctx.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                mountStatusPage(context);
            }
        });
    }

    /** erp-sync:type=SyncService on the platform MBean server, and remote JMX when enabled. */
    private static void registerSyncService(Settings s, Resources resources, SyncService service) throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(SyncService.OBJECT_NAME);
        if (mbs.isRegistered(name)) {
            throw new StartupRefused(SyncService.OBJECT_NAME + " is already registered: another erp-sync runs in this JVM");
        }
        mbs.registerMBean(service, name);
        resources.add(() -> mbs.unregisterMBean(name));
        if (s.flag("management.jmx.remote.enabled", false)) {
            resources.add(RemoteJmx.start(mbs, s.text("management.jmx.remote.host", "127.0.0.1"),
                    s.integer("management.jmx.remote.port", 9010), s.text("management.jmx.remote.password-file", null),
                    s.text("management.jmx.remote.access-file", null)));
        }
    }

    /**
     * Once Camel's management HTTP server runs (camel.management.enabled): the status page on its
     * router, behind its authentication when configured. A management port reachable beyond this
     * host without authentication gets a warning.
     */
    static void mountStatusPage(CamelContext ctx) {
        ManagementHttpServer server = ctx.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return;
        }
        ctx.getRegistry().lookupByNameAndType("statusPage", StatusPage.class).mount(server.getRouter());
        String host = server.getHost() == null ? "0.0.0.0" : server.getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
        if (!loopback && !server.getConfiguration().getAuthenticationConfig().isEnabled()) {
            LOG.warn("The management port {}:{} (status page, health, metrics, Jolokia) is reachable beyond this host without "
                    + "authentication; replay from the status page stays off until camel.management.authentication-enabled is set",
                    host, server.getPort());
        }
        LOG.info("Status page on http://{}:{}{}/", host, server.getPort(), StatusPage.PATH);
    }

    /**
     * What needs the YAML routes and Camel's own services in place: lane-0 .. lane-(sync.lanes - 1)
     * from the lane route template, and erp-sync's health checks beside Camel's.
     */
    static void completeWiring(CamelContext ctx) {
        Registry registry = ctx.getRegistry();
        int lanes = registry.lookupByNameAndType("segmentBatches", SegmentBatches.class).lanes();
        try {
            for (int i = 0; i < lanes; i++) {
                TemplatedRouteBuilder.builder(ctx, "lane").routeId("lane-" + i).parameter("lane", String.valueOf(i)).add();
            }
        } catch (RuntimeException e) {
            throw new StartupRefused("erp-sync cannot create its lanes from routes/lane.camel.yaml: " + e.getMessage());
        }
        HealthCheckRegistry health = ctx.getCamelContextExtension().getContextPlugin(HealthCheckRegistry.class);
        if (health != null) {
            Settings s = new Settings(ctx.getPropertiesComponent());
            CircuitBreaker breaker = registry.lookupByNameAndType("erpBreaker", CircuitBreaker.class);
            health.register(new SyncHealth.Store(registry.lookupByNameAndType("storeDataSource", javax.sql.DataSource.class)));
            health.register(new SyncHealth.Erp(() -> s.required("erp.base-url"),
                    registry.lookupByNameAndType("erpCredentials", ErpCredentials.class).authorizationHeader(), breaker,
                    s.duration("management.health.erp-probe-cache", Duration.ofSeconds(15))));
            health.register(new SyncHealth.Cycles(registry.lookupByNameAndType("syncRuns", SyncRuns.class),
                    s.integer("management.health.failed-cycles", 3)));
        }
    }

    /**
     * The newest row of one item: wms.item-query when set, else wms.query narrowed to the item (read
     * from the beginning), so that a WMS needs only one query configured.
     */
    static String itemQuery(Settings s) {
        return s.find("wms.item-query").orElseGet(() -> "SELECT * FROM (" + s.required("wms.query")
                + ") wms_rows WHERE item_number = :?item AND organization_code = :?org");
    }

    /** Closes what the configuration opened (pools, the embedded sandbox) when Camel stops. */
    static final class Resources extends ServiceSupport {
        private final List<AutoCloseable> open = new ArrayList<>();

        synchronized <T extends AutoCloseable> T add(T resource) {
            open.add(resource);
            return resource;
        }

        @Override
        protected synchronized void doStop() throws Exception {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
            open.clear();
        }
    }
}
