package io.erpsync;

import com.zaxxer.hikari.HikariDataSource;
import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.config.MillisFunction;
import io.erpsync.config.RequiredSettings;
import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.conflict.FailurePolicy;
import io.erpsync.conflict.LockRounds;
import io.erpsync.conflict.RetryAfterDelay;
import io.erpsync.erp.ErpCredentials;
import io.erpsync.erp.ErpHttp;
import io.erpsync.erp.ErpTls;
import io.erpsync.bom.BomChanges;
import io.erpsync.bom.BomHolds;
import io.erpsync.bom.BomReplays;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import io.erpsync.gate.JobGate;
import io.erpsync.ops.LockReport;
import io.erpsync.ops.RemoteJmx;
import io.erpsync.ops.Schedule;
import io.erpsync.ops.StatusPage;
import io.erpsync.ops.SyncHealth;
import io.erpsync.ops.SyncMetrics;
import io.erpsync.ops.SyncService;
import io.erpsync.sandbox.BusyErp;
import io.erpsync.sandbox.LivingWarehouse;
import io.erpsync.sandbox.SampleWarehouse;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxSettings;
import io.erpsync.store.BreakerEvents;
import io.erpsync.store.Datasources;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.InFlightItems;
import io.erpsync.store.RunLease;
import io.erpsync.store.SyncAttempts;
import io.erpsync.store.SyncRuns;
import io.erpsync.store.Watermarks;
import io.erpsync.sync.Alerts;
import io.erpsync.sync.BatchPush;
import io.erpsync.sync.BatchWindows;
import io.erpsync.sync.BreakerReport;
import io.erpsync.sync.Cycles;
import io.erpsync.sync.Lanes;
import io.erpsync.sync.LockRoundBatches;
import io.erpsync.sync.Parking;
import io.erpsync.sync.Replays;
import io.erpsync.sync.RetryLog;
import io.erpsync.sync.SegmentBatches;
import io.erpsync.wms.StockRows;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All wiring in one place: settings are read by name, resources opened, and the beans the routes
 * call bound by name. Each bean's settings are read in a small factory method below.
 */
public final class ErpSyncConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ErpSyncConfiguration.class);
    /** The clause of routes/error-handling.camel.yaml whose back-off a Retry-After may lengthen. */
    static final String BACKOFF_CLAUSE = "throttled-or-down";

    @Override
    public void configure(CamelContext ctx) throws Exception {
        ctx.getPropertiesComponent().addPropertiesFunction(new MillisFunction());
        Settings s = new Settings(ctx.getPropertiesComponent());
        refuseWithoutRequiredSettings(s);
        // the throttle's scheduler keeps a periodic task; do not wait the default 10 s for it on stop
        ctx.getExecutorServiceManager().setShutdownAwaitTermination(1000);
        Resources resources = new Resources();
        ctx.addService(resources, true);
        Clock clock = Clock.systemUTC();

        SandboxErp sandbox = s.flag("sandbox.enabled", false) ? sandbox(ctx, s, resources) : null;
        Runnable demo = sandbox != null && s.flag("sync.schedule.enabled", true) ? demo(ctx, s, sandbox, resources, clock) : null;
        Store store = store(ctx, s, resources, sandbox);
        Sync sync = bindSync(ctx, s, store, resources, clock);
        bindBom(ctx, s, store, resources, clock);
        bindOperations(ctx, s, resources, store, sync, clock);
        ctx.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                new Schedule(context).start(s.flag("sync.schedule.enabled", true), s.flag("sync.full-reconcile.enabled", false),
                        s.flag("bom.enabled", false));
                mountStatusPage(context);
                if (demo != null) {
                    demo.run();
                }
            }
        });
    }

    /** The runtime's own tables and the WMS connection. */
    record Store(HikariDataSource dataSource, ExceptionQueue queue, SyncRuns runs, SyncAttempts attempts, Watermarks watermarks,
                 RunLease lease, InFlightItems inFlight) {
    }

    /** The beans of the sync flow that operations read. */
    record Sync(Cycles cycles, JobGate gate, UpdateBreaker breaker, ErpCredentials credentials) {
    }

    /** The store (migrated by Flyway) and the WMS pools; in dev, the sample warehouse. */
    private static Store store(CamelContext ctx, Settings s, Resources resources, SandboxErp sandbox) throws Exception {
        try {
            return openStore(ctx, s, resources, sandbox);
        } catch (Datasources.Unreachable e) {
            throw new StartupRefused(e.getMessage());
        }
    }

    private static Store openStore(CamelContext ctx, Settings s, Resources resources, SandboxErp sandbox) throws Exception {
        HikariDataSource store = resources.add(Datasources.pool("store", s.required("store.datasource.url"),
                s.text("store.datasource.username", null), s.secret("store.datasource.password"), 8));
        Datasources.migrate(store);
        HikariDataSource wms = resources.add(Datasources.source("wms", s.required("wms.datasource.url"),
                s.text("wms.datasource.username", null), s.secret("wms.datasource.password"), 4));
        if (sandbox != null && s.flag("wms.sample.enabled", false)) {
            SampleWarehouse.ensure(wms, sandbox, s.integer("wms.sample.rows", 500));
        }
        if (s.find("wms.item-query").isEmpty()) {
            ctx.getPropertiesComponent().addOverrideProperty("wms.item-query", derivedItemQuery(s));
        }
        Registry registry = ctx.getRegistry();
        registry.bind("storeDataSource", store);
        registry.bind("wmsDataSource", wms);
        boolean clusterNode = s.flag("cluster.enabled", false) && s.flag("sync.schedule.enabled", true);
        RunLease lease = resources.add(new RunLease(store, s.duration("sync.lease.ttl", Duration.ofSeconds(60)), Clock.systemUTC(),
                clusterNode));
        if (s.flag("cluster.enabled", false)) {
            // the Quartz instance id is the lease holder's name, so that a node's liveness is one thing
            ctx.getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class)
                    .setProperties(io.erpsync.ops.ClusterSchedule.quartz(s, lease.me()));
        }
        Store st = new Store(store, new ExceptionQueue(store), new SyncRuns(store, lease.me()), new SyncAttempts(store),
                new Watermarks(store), lease, new InFlightItems(store));
        registry.bind("runLease", lease);
        int abandoned = lease.reclaimDead();
        if (abandoned > 0) {
            LOG.warn("{} run(s) were left RUNNING by a process that stopped mid-cycle; recorded as FAILED, their rows are read again",
                    abandoned);
        }
        registry.bind("exceptionQueue", st.queue());
        registry.bind("syncRuns", st.runs());
        registry.bind("syncAttempts", st.attempts());
        return st;
    }

    /** The beans the routes call, by the names the routes use. */
    private static Sync bindSync(CamelContext ctx, Settings s, Store store, Resources resources, Clock clock) {
        Registry registry = ctx.getRegistry();
        StockRows rows = StockRows.of(s.text("sync.segment.fields", "organization_code,category"));
        UpdateBreaker breaker = breaker(s, new BreakerEvents(store.dataSource())::record, clock);
        LockRounds lockRounds = lockRounds(s);
        BreakerReport report = new BreakerReport(breaker);
        Parking parking = new Parking(store.queue(), store.attempts(), report, clock);
        Cycles cycles = new Cycles(store.runs(), store.lease(), store.queue(), store.watermarks(), store.attempts(), store.inFlight(), parking, rows, cycleSettings(s), clock);
        JobGate gate = jobGate(s, clock);
        ErpCredentials credentials = ErpCredentials.of(s.text("erp.username", null), s.secret("erp.password"), s.secret("erp.token"));
        registry.bind("erpBreaker", breaker);
        registry.bind("cycles", cycles);
        registry.bind("parking", parking);
        registry.bind("segmentBatches", new SegmentBatches(s.integer("sync.lanes", 4), s.integer("sync.read-size", 500)));
        registry.bind("lanes", new Lanes(breaker, report, lockRounds));
        registry.bind("lockRoundBatches", new LockRoundBatches());
        registry.bind("batchHandOff", batchHandOff(s, resources));
        registry.bind("batchPush", new BatchPush(parking, report, store.queue(), store.attempts(), lockRounds, store.inFlight(), rows,
                s.integer("sync.retry.stale-attempts", 3), clock));
        registry.bind("failurePolicy", new FailurePolicy());
        registry.bind("retryAfter", new RetryAfterDelay(ctx, BACKOFF_CLAUSE, clock));
        registry.bind("retryLog", new RetryLog(store.attempts(), clock));
        registry.bind("replays", new Replays(cycles, store.queue(), rows, parking));
        registry.bind("alerts", alerts(s));
        registry.bind("jobGate", gate);
        registry.bind("erpCredentials", credentials);
        registry.bind("erpHttp", new ErpHttp(credentials, s.bytes("erp.max-answer-size", 32L << 20)));
        registry.bind("erpTls", new ErpTls(s.text("erp.tls.truststore", null), s.text("erp.tls.truststore-type", "PKCS12"),
                s.secret("erp.tls.truststore-password"), s.flag("erp.tls.trust-all", false)));
        return new Sync(cycles, gate, breaker, credentials);
    }

    /**
     * Bills of materials (README: Bills of materials): the inbox's pool (bom.datasource.*, else the
     * WMS pool), the query for one change (derived from bom.query unless set), and the BOM beans.
     */
    private static void bindBom(CamelContext ctx, Settings s, Store store, Resources resources, Clock clock) {
        Registry registry = ctx.getRegistry();
        javax.sql.DataSource inbox = s.find("bom.datasource.url").isPresent()
                ? resources.add(Datasources.source("bom", s.required("bom.datasource.url"), s.text("bom.datasource.username", null),
                s.secret("bom.datasource.password"), 2))
                : registry.lookupByNameAndType("wmsDataSource", javax.sql.DataSource.class);
        registry.bind("bomDataSource", inbox);
        if (s.find("bom.change-query").isEmpty()) {
            ctx.getPropertiesComponent().addOverrideProperty("bom.change-query",
                    "SELECT * FROM (" + s.required("bom.query") + ") bom_rows WHERE change_id = :?change");
        }
        BomChanges.Settings bom = new BomChanges.Settings(s.integer("bom.lanes", 4), s.integer("bom.retry.max-attempts", 5),
                s.integer("bom.change-order.after", 3), s.duration("bom.change-order.window", Duration.ofDays(1)),
                Double.parseDouble(s.text("bom.alert.conflict-rate", "0.10")), s.duration("sync.cycle.settle-timeout", Duration.ofMinutes(30)),
                s.integer("sync.retry.max-attempts", 5));
        BomChanges bomChanges = new BomChanges(bom, store.runs(), store.lease(), store.queue(), store.attempts(), store.watermarks(),
                new BomHolds(store.dataSource()), lockRounds(s), io.erpsync.conflict.BackoffPolicy.whenLoaded(ctx, BACKOFF_CLAUSE), clock);
        registry.bind("bomChanges", bomChanges);
        registry.bind("bomCycles", bomChanges.cycles());
        registry.bind("bomReplays", bomChanges.replays());
        registry.bind("bomBills", bomChanges.bills());
        registry.bind("bomRetryRounds", new io.erpsync.bom.BomRetryRounds());
        Cycles cycles = registry.lookupByNameAndType("cycles", Cycles.class);
        ctx.getManagementStrategy().addEventNotifier(new io.erpsync.sync.StopOnShutdown(ctx, List.of(cycles::stopping, bomChanges.cycles()::stopping),
                Duration.ofSeconds(s.integer("camel.main.shutdown-timeout", 45))));
    }

    /** Metrics, the SyncService MBean (and remote JMX), the lock report and the status page. */
    private static void bindOperations(CamelContext ctx, Settings s, Resources resources, Store store, Sync sync, Clock clock)
            throws Exception {
        Registry registry = ctx.getRegistry();
        LockReport lockReport = new LockReport(store.dataSource(), ZoneId.of(s.text("sync.batch.zone", "UTC")));
        registry.bind("lockReport", lockReport);
        registry.bind("syncMetrics", new SyncMetrics(ctx, store.attempts(), store.queue(), sync.breaker()));
        SyncService service = new SyncService(ctx, store.runs(), store.queue(), sync.cycles(), sync.gate(), sync.breaker(),
                registry.lookupByNameAndType("bomReplays", BomReplays.class),
                ctx.getExecutorServiceManager().newSingleThreadExecutor(resources, "erp-sync-run-now"), clock);
        registry.bind("syncService", service);
        registry.bind("statusPage", new StatusPage(service, store.runs(), store.queue(), lockReport,
                s.duration("management.status.report-window", Duration.ofDays(28)), clock,
                ctx.getExecutorServiceManager().newSingleThreadExecutor(resources, "erp-sync-page-replay")));
        if (s.flag("camel.main.jmx-enabled", true)) {
            registerSyncService(s, resources, service);
        }
    }

    private static void refuseWithoutRequiredSettings(Settings s) {
        List<String> missing = RequiredSettings.missing(s);
        if (!missing.isEmpty() && !s.flag("sandbox.enabled", false)) {
            throw new StartupRefused(RequiredSettings.message(s.text("camel.main.profile", "dev"), missing));
        }
        if ("prod".equals(s.text("camel.main.profile", "dev"))) {
            for (String key : List.of("erp.tls.trust-all", "camel.ssl.trust-all-certificates")) {
                if (s.flag(key, false)) {
                    throw new StartupRefused("erp-sync cannot start in profile 'prod': " + key + " = true turns off the check of the ERP's "
                            + "certificate; trust the ERP's CA with erp.tls.truststore instead (README: Security)");
                }
            }
            for (String scheme : List.of("http", "https")) {
                if (s.find("camel.component." + scheme + ".x509-hostname-verifier").isPresent()) {
                    throw new StartupRefused("erp-sync cannot start in profile 'prod': camel.component." + scheme
                            + ".x509-hostname-verifier replaces the check of the ERP's host name (README: Security)");
                }
            }
        }
    }

    /**
     * The dev profile's activity while the schedule runs (README: See it work): the sample warehouse
     * keeps changing and the sandbox ERP is busy. Its settings are read now (a bad one stops the
     * start); it starts once the context has. Never with --once.
     */
    private static Runnable demo(CamelContext ctx, Settings s, SandboxErp sandbox, Resources resources, Clock clock) {
        Duration every = s.duration("wms.sample.change-every", Duration.ZERO);
        boolean living = s.flag("wms.sample.enabled", false) && !every.isZero();
        int rows = s.integer("wms.sample.change-rows", 10);
        BusyErp.Plan known = BusyErp.Plan.parse("sandbox.busy.known-job", s.text("sandbox.busy.known-job", null));
        BusyErp.Plan unknown = BusyErp.Plan.parse("sandbox.busy.unknown-job", s.text("sandbox.busy.unknown-job", null));
        BusyErp.Plan storm = BusyErp.Plan.parse("sandbox.busy.lock-storm", s.text("sandbox.busy.lock-storm", null));
        Map<String, String> knobs = new LinkedHashMap<>();
        for (String knob : s.list("sandbox.busy.knobs", "")) {
            String[] kv = knob.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalStateException("setting sandbox.busy.knobs must be name=value pairs (edit-after-read-rate=0.03, ...), was '"
                        + knob + "'");
            }
            knobs.put(kv[0].trim(), kv[1].trim());
        }
        // a process that runs the schedule: the knobs apply from now on (an unknown one stops the start)
        sandbox.applyKnobs(knobs);
        return () -> {
            if (living) {
                DataSource wms = ctx.getRegistry().lookupByNameAndType("wmsDataSource", DataSource.class);
                resources.add(new LivingWarehouse(wms, rows, clock, s.integer("sandbox.seed", 42)).start(every));
            }
            if (known != null || unknown != null || storm != null) {
                resources.add(new BusyErp(sandbox).start(known, unknown, storm));
            }
        };
    }

    /** The in-process sandbox ERP (dev profile, tests); with sandbox.port 0 or no erp.base-url, the runtime is pointed at it. */
    private static SandboxErp sandbox(CamelContext ctx, Settings s, Resources resources) throws Exception {
        SandboxErp sandbox = resources.add(new SandboxErp(SandboxSettings.from(s)).start());
        if (s.find("erp.base-url").isEmpty() || s.integer("sandbox.port", 0) == 0) {
            ctx.getPropertiesComponent().addOverrideProperty("erp.base-url", sandbox.baseUrl());
        }
        ctx.getRegistry().bind("sandboxErp", sandbox);
        return sandbox;
    }

    /**
     * The one thread that hands full batches from segment-batches to the lanes, in the order they
     * filled. A full queue makes the read wait (the caller blocks) instead of growing without bound or
     * running the hand-off itself out of order.
     */
    private static java.util.concurrent.ExecutorService batchHandOff(Settings s, Resources resources) {
        var queue = new java.util.concurrent.ArrayBlockingQueue<Runnable>(Math.max(1, s.integer("sync.lane.queue-size", 50)));
        var pool = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.SECONDS, queue,
                r -> {
                    Thread t = new Thread(r, "erp-sync batch hand-off");
                    t.setDaemon(true);
                    return t;
                },
                (task, executor) -> {
                    try {
                        if (!executor.isShutdown()) {
                            executor.getQueue().put(task);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.util.concurrent.RejectedExecutionException("interrupted while the lanes were full", e);
                    }
                });
        resources.add(pool::shutdownNow);
        return pool;
    }

    private static UpdateBreaker breaker(Settings s, UpdateBreaker.Transitions events, Clock clock) {
        return new UpdateBreaker(
                Float.parseFloat(s.text("sync.breaker.failure-rate", "30")),
                s.integer("sync.breaker.window", 200),
                s.integer("sync.breaker.minimum-updates", 50),
                s.duration("sync.breaker.open-duration", Duration.ofMinutes(5)),
                s.integer("sync.breaker.probes", 10),
                events, clock);
    }

    private static LockRounds lockRounds(Settings s) {
        return new LockRounds(s.durations("sync.retry.lock-delays", "2s,5s,10s"), s.duration("sync.retry.max-delay", Duration.ofSeconds(60)));
    }

    private static Cycles.Settings cycleSettings(Settings s) {
        BatchWindows windows = BatchWindows.parse(s.text("sync.batch.windows", ""), s.integer("sync.batch-size", 50),
                ZoneId.of(s.text("sync.batch.zone", "UTC")));
        return new Cycles.Settings(windows,
                s.duration("sync.cycle.settle-timeout", Duration.ofMinutes(30)),
                s.flag("sync.full-reconcile", false),
                s.integer("sync.hot.cycles", 3),
                s.duration("sync.lease.repair-for", Duration.ofHours(1)));
    }

    private static JobGate jobGate(Settings s, Clock clock) {
        return new JobGate(
                s.list("sync.gate.jobs", ""),
                s.duration("sync.gate.poll-interval", Duration.ofSeconds(30)),
                s.duration("sync.gate.max-wait", Duration.ofMinutes(10)),
                s.text("sync.gate.on-timeout", "skip"),
                s.text("sync.gate.on-error", "proceed"),
                clock);
    }

    private static Alerts alerts(Settings s) {
        return new Alerts(Double.parseDouble(s.text("sync.alert.parked-ratio", "0.05")),
                Double.parseDouble(s.text("sync.alert.conflict-rate", "0.10")), s.text("sync.alert.webhook-url", null));
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
     * and lane-hot from the lane route template, and erp-sync's health checks beside Camel's.
     */
    /**
     * One HTTP client configuration for the ERP whatever the scheme of erp.base-url: Camel makes the
     * "https" component apart from "http", so the camel.component.http.* settings (no automatic
     * retries, timeouts, the connection cap) would miss an https ERP; the configured "http"
     * component serves both. The ERP's trust (erp.tls.*) is set on it.
     */
    private static void erpHttpClient(CamelContext ctx, ErpTls tls) {
        HttpComponent http = ctx.getComponent("http", HttpComponent.class);
        if (ctx.hasComponent("https") == null) {
            ctx.addComponent("https", http);
        } else {
            LOG.warn("camel.component.https.* is set: the https component keeps its own settings, not those of camel.component.http.*");
        }
        SSLContextParameters ssl = tls.parameters(ctx);
        if (ssl != null) {
            http.setSslContextParameters(ssl);
        }
        if (tls.trustAll()) {
            LOG.warn("erp.tls.trust-all = true: the ERP's certificate and host name are not checked (refused in the prod profile)");
            http.setX509HostnameVerifier(org.apache.hc.client5.http.ssl.NoopHostnameVerifier.INSTANCE);
        }
    }

    static void completeWiring(CamelContext ctx) {
        Registry registry = ctx.getRegistry();
        String excluded = new Settings(ctx.getPropertiesComponent()).text("management.metrics.exclude-routes", "");
        for (var factory : ctx.getRoutePolicyFactories()) {
            if (factory instanceof MicrometerRoutePolicyFactory metrics && !excluded.isBlank()) {
                metrics.getPolicyConfiguration().setExcludePattern(excluded);
            }
        }
        List<String> lanes = new ArrayList<>();
        for (int i = 0; i < registry.lookupByNameAndType("segmentBatches", SegmentBatches.class).lanes(); i++) {
            lanes.add(String.valueOf(i));
        }
        lanes.add(SegmentBatches.HOT_LANE);
        try {
            for (String lane : lanes) {
                TemplatedRouteBuilder.builder(ctx, "lane").routeId("lane-" + lane).parameter("lane", lane).add();
            }
            int bomLanes = new Settings(ctx.getPropertiesComponent()).integer("bom.lanes", 4);
            for (int i = 0; i < bomLanes; i++) {
                TemplatedRouteBuilder.builder(ctx, "bom-lane").routeId("bom-lane-" + i).parameter("lane", String.valueOf(i)).add();
            }
        } catch (RuntimeException e) {
            throw new StartupRefused("erp-sync cannot create its lanes from routes/lane.camel.yaml and routes/bom-lane.camel.yaml: "
                    + e.getMessage());
        }
        ErpTls tls = registry.lookupByNameAndType("erpTls", ErpTls.class);
        erpHttpClient(ctx, tls);
        HealthCheckRegistry health = ctx.getCamelContextExtension().getContextPlugin(HealthCheckRegistry.class);
        if (health != null) {
            Settings s = new Settings(ctx.getPropertiesComponent());
            UpdateBreaker breaker = registry.lookupByNameAndType("erpBreaker", UpdateBreaker.class);
            health.register(new SyncHealth.Store(registry.lookupByNameAndType("storeDataSource", javax.sql.DataSource.class)));
            health.register(new SyncHealth.Erp(() -> s.required("erp.base-url"), () -> tls.sslContext(ctx),
                    registry.lookupByNameAndType("erpCredentials", ErpCredentials.class).authorizationHeader(), breaker,
                    s.duration("management.health.erp-probe-cache", Duration.ofSeconds(15))));
            health.register(new SyncHealth.Cycles(registry.lookupByNameAndType("syncRuns", SyncRuns.class),
                    registry.lookupByNameAndType("runLease", RunLease.class), s.integer("management.health.failed-cycles", 3)));
        }
    }

    /**
     * The newest row of one item when wms.item-query is not set: wms.query narrowed to the item (read
     * from the beginning), so that a WMS needs only one query configured.
     */
    static String derivedItemQuery(Settings s) {
        return "SELECT * FROM (" + s.required("wms.query") + ") wms_rows WHERE item_number = :?item AND organization_code = :?org";
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
