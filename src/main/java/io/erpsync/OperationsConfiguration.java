package io.erpsync;

import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.core.Run;
import io.erpsync.ops.AllowedOrigins;
import io.erpsync.ops.DescribedMBean;
import io.erpsync.ops.HawtioPermissions;
import io.erpsync.ops.JolokiaAccess;
import io.erpsync.ops.LockReport;
import io.erpsync.ops.ManagementActions;
import io.erpsync.ops.ManagementRoles;
import io.erpsync.ops.OpsSettings;
import io.erpsync.ops.RemoteJmx;
import io.erpsync.ops.Schedule;
import io.erpsync.ops.StatusPage;
import io.erpsync.ops.SyncHealth;
import io.erpsync.ops.SyncMetrics;
import io.erpsync.ops.SyncService;
import io.erpsync.ops.SyncServiceMBean;
import io.erpsync.ops.TargetView;
import io.erpsync.sync.StopOnShutdown;
import io.erpsync.target.fusion.FusionRequests;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Operating the runtime: the lock report, metrics, the SyncService MBean (and remote JMX), the
 * status page, health checks, a stop that lets batches on their way finish, and the schedule.
 */
final class OperationsConfiguration implements CamelConfiguration, RoutesLoaded {
    private static final Logger LOG = LoggerFactory.getLogger(OperationsConfiguration.class);
    private final Resources resources;
    private final StoreConfiguration storeConfiguration;
    private final BreakerAndGateConfiguration breakerAndGate;
    private final ErpConfiguration erp;
    private final SyncConfiguration sync;
    private final StorefrontConfiguration storefront;
    private final BomConfiguration bom;
    private final Clock clock = Clock.systemUTC();
    private OpsSettings settings;
    private StatusPage statusPage;
    private ManagementRoles roles;
    private JolokiaAccess jolokia;

    OperationsConfiguration(Resources resources, StoreConfiguration store, BreakerAndGateConfiguration breakerAndGate, ErpConfiguration erp,
                            StorefrontConfiguration storefront, SyncConfiguration sync, BomConfiguration bom) {
        this.storefront = storefront;
        this.resources = resources;
        this.storeConfiguration = store;
        this.breakerAndGate = breakerAndGate;
        this.erp = erp;
        this.sync = sync;
        this.bom = bom;
    }

    /** Each configured target as the status page shows it: its ledger, exception rows, breaker and rate. */
    private List<TargetView> targetViews(StoreConfiguration.Store store) {
        List<TargetView> views = new ArrayList<>();
        for (String name : sync.lines().names()) {
            boolean isErp = name.equals(Run.DEFAULT_TARGET);
            views.add(new TargetView(name, store.runs().forTarget(name), store.queue().forTarget(name),
                    isErp ? () -> breakerAndGate.breaker().state().name() : () -> storefront.breaker().state().name(),
                    isErp ? erp.rate() : storefront.rate()));
        }
        return views;
    }

    @Override
    public void configure(CamelContext ctx) throws Exception {
        settings = OpsSettings.from(new Settings(ctx.getPropertiesComponent()));
        StoreConfiguration.Store store = storeConfiguration.store();
        Registry registry = ctx.getRegistry();
        ctx.getManagementStrategy().addEventNotifier(new StopOnShutdown(ctx, List.of(sync.cycles()::stopping, bom.changes().cycles()::stopping),
                settings.shutdownTimeout()));
        LockReport lockReport = new LockReport(store.dataSource(), settings.zone());
        registry.bind("lockReport", lockReport);
        SyncMetrics metrics = new SyncMetrics(ctx, store.attempts(), store.queue(), breakerAndGate.breaker(), sync.batchSizes(), erp.rate());
        registry.bind("syncMetrics", metrics);
        ManagementActions actions = new ManagementActions(metrics);
        OpsSettings.JolokiaSettings j = settings.jolokia();
        roles = new ManagementRoles(j.usersFile().orElse(null));
        registry.bind("managementRoles", roles);
        if (j.enabled()) {
            jolokia = resources.add(new JolokiaAccess(AllowedOrigins.parse(j.allowedOrigins()), roles, actions));
            registry.bind("jolokiaAccess", jolokia);
        }
        SyncService service = syncService(ctx, store);
        registry.bind("syncService", service);
        statusPage = new StatusPage(service, store.runs(), store.queue(), lockReport, settings.reportWindow(), clock,
                ctx.getExecutorServiceManager().newSingleThreadExecutor(resources, "erp-sync-page-replay"), actions, erp.rate(), sync.batchSizes());
        registry.bind("statusPage", statusPage);
        statusPage.targets(targetViews(store));
        if (settings.jmxEnabled()) {
            registerSyncService(service);
        }
        ctx.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                // a one-shot run has neither the schedule routes nor the Quartz component: nothing to steer
                if (context.hasComponent("quartz") != null) {
                    new Schedule(context).start(settings.scheduleEnabled(), settings.fullReconcileScheduled(), settings.bomEnabled());
                }
                mountStatusPage(context);
            }
        });
    }

    private SyncService syncService(CamelContext ctx, StoreConfiguration.Store store) {
        return new SyncService(ctx, store.runs(), store.queue(), sync.cycles(), breakerAndGate.gate(), breakerAndGate.breaker(), bom.changes().replays(),
                ctx.getExecutorServiceManager().newSingleThreadExecutor(resources, "erp-sync-run-now"), clock);
    }

    /** erp-sync:type=SyncService on the platform MBean server (and Hawtio's permission check), and remote JMX when enabled. */
    private void registerSyncService(SyncService service) throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(SyncService.OBJECT_NAME);
        if (mbs.isRegistered(name)) {
            throw new StartupRefused(SyncService.OBJECT_NAME + " is already registered: another erp-sync runs in this JVM");
        }
        mbs.registerMBean(new DescribedMBean<>(service, SyncServiceMBean.class), name);
        resources.add(() -> mbs.unregisterMBean(name));
        if (jolokia != null) {
            ObjectName permissions = new ObjectName(HawtioPermissions.OBJECT_NAME);
            mbs.registerMBean(new HawtioPermissions(mbs, jolokia::rulesOfThisRequest), permissions);
            resources.add(() -> mbs.unregisterMBean(permissions));
        }
        OpsSettings.RemoteJmxSettings remote = settings.remoteJmx();
        if (remote.enabled()) {
            resources.add(RemoteJmx.start(mbs, remote.host(), remote.port(), remote.passwordFile().orElse(null),
                    remote.accessFile().orElse(null)));
        }
    }

    /** Camel's route metrics without the per-row routes (management.metrics.exclude-routes), and erp-sync's health checks beside Camel's. */
    @Override
    public void routesLoaded(CamelContext ctx) {
        for (var factory : ctx.getRoutePolicyFactories()) {
            if (factory instanceof MicrometerRoutePolicyFactory metrics && !settings.metricsExcludeRoutes().isBlank()) {
                metrics.getPolicyConfiguration().setExcludePattern(settings.metricsExcludeRoutes());
            }
        }
        HealthCheckRegistry health = ctx.getCamelContextExtension().getContextPlugin(HealthCheckRegistry.class);
        if (health != null) {
            StoreConfiguration.Store store = storeConfiguration.store();
            Settings s = new Settings(ctx.getPropertiesComponent());
            health.register(new SyncHealth.Store(store.dataSource()));
            health.register(new SyncHealth.Erp(() -> s.required("erp.base-url") + FusionRequests.ESS_REQUESTS + "?limit=1", () -> erp.tls().sslContext(ctx),
                    erp.credentials().authorizationHeader(), breakerAndGate.breaker(), settings.erpProbeCache()));
            health.register(new SyncHealth.Cycles(store.runs(), store.lease(), settings.failedCycles()));
        }
    }

    /**
     * Once Camel's management HTTP server runs (camel.management.enabled): the status page and
     * erp-sync's Jolokia on its router, both behind its authentication when configured. A management port reachable beyond this
     * host without authentication gets a warning.
     */
    private void mountStatusPage(CamelContext ctx) {
        ManagementHttpServer server = ctx.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return;
        }
        // Camel's authentication covers one path; the status page and Jolokia are both behind it whenever it is on
        var auth = server.getConfiguration().getAuthenticationConfig();
        ManagementRoles.protect(server.getRouter(), auth, StatusPage.PATH);
        statusPage.mount(server.getRouter(), roles);
        if (jolokia != null) {
            ManagementRoles.protect(server.getRouter(), auth, server.getJolokiaPath());
            jolokia.mount(server.getRouter(), server.getJolokiaPath());
        }
        String host = server.getHost() == null ? "0.0.0.0" : server.getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
        if (!loopback && !server.getConfiguration().getAuthenticationConfig().isEnabled()) {
            LOG.warn("The management port {}:{} (status page, health, metrics, Jolokia) is reachable beyond this host without "
                    + "authentication; replay from the status page stays off until camel.management.authentication-enabled is set",
                    host, server.getPort());
        }
        LOG.info("Status page on http://{}:{}{}/", host, server.getPort(), StatusPage.PATH);
    }
}
