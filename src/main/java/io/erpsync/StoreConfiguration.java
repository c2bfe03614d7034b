package io.erpsync;

import com.zaxxer.hikari.HikariDataSource;
import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.ops.ClusterSchedule;
import io.erpsync.store.Datasources;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.InFlightItems;
import io.erpsync.store.RunLease;
import io.erpsync.store.StoreSettings;
import io.erpsync.store.SyncAttempts;
import io.erpsync.store.SyncRuns;
import io.erpsync.store.Watermarks;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The runtime's own tables (migrated by Flyway), the WMS pool, the run lease and, in cluster mode,
 * Quartz's clustered store; in dev, the sample warehouse.
 */
final class StoreConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(StoreConfiguration.class);
    private final Resources resources;
    private final SandboxConfiguration sandbox;
    private Store store;

    /** The store's beans the other features build on. */
    record Store(HikariDataSource dataSource, ExceptionQueue queue, SyncRuns runs, SyncAttempts attempts, Watermarks watermarks,
                 RunLease lease, InFlightItems inFlight) {
    }

    StoreConfiguration(Resources resources, SandboxConfiguration sandbox) {
        this.resources = resources;
        this.sandbox = sandbox;
    }

    @Override
    public void configure(CamelContext ctx) throws Exception {
        try {
            open(ctx);
        } catch (Datasources.Unreachable e) {
            throw new StartupRefused(e.getMessage());
        }
    }

    private void open(CamelContext ctx) throws Exception {
        Settings s = new Settings(ctx.getPropertiesComponent());
        StoreSettings settings = StoreSettings.from(s);
        Registry registry = ctx.getRegistry();
        HikariDataSource db = storeDataSource(settings);
        registry.bind("storeDataSource", db);
        registry.bind("wmsDataSource", wmsDataSource(settings));
        if (s.find("wms.item-query").isEmpty()) {
            ctx.getPropertiesComponent().addOverrideProperty("wms.item-query", derivedItemQuery(s));
        }
        RunLease lease = runLease(ctx, settings, db);
        store = new Store(db, new ExceptionQueue(db), new SyncRuns(db, lease.me()), new SyncAttempts(db), new Watermarks(db), lease,
                new InFlightItems(db));
        registry.bind("runLease", lease);
        registry.bind("exceptionQueue", store.queue());
        registry.bind("syncRuns", store.runs());
        registry.bind("syncAttempts", store.attempts());
    }

    Store store() {
        return store;
    }

    private HikariDataSource storeDataSource(StoreSettings settings) {
        StoreSettings.Connection c = settings.store();
        HikariDataSource db = resources.add(Datasources.pool("store", c.url(), c.username(), c.password(), 8));
        Datasources.migrate(db);
        return db;
    }

    private HikariDataSource wmsDataSource(StoreSettings settings) throws Exception {
        StoreSettings.Connection c = settings.wms();
        // why 8: a cycle's streamed reads (the stock-outs' probe, their rows, their items' rows, the main read) keep
        // their connections until the cycle ends (camel-jdbc closes a stream's with its exchange), and two targets run at once
        HikariDataSource wms = resources.add(Datasources.source("wms", c.url(), c.username(), c.password(), 8));
        sandbox.fillSampleWarehouse(wms);
        return wms;
    }

    /** One run at a time across processes on this store; a run left RUNNING by a process gone is recorded FAILED. */
    private RunLease runLease(CamelContext ctx, StoreSettings settings, HikariDataSource db) {
        RunLease lease = resources.add(new RunLease(db, settings.leaseTtl(), Clock.systemUTC(), settings.clusterNode()));
        if (settings.cluster()) {
            // the Quartz instance id is the lease holder's name, so that a node's liveness is one thing
            ctx.getComponent("quartz", QuartzComponent.class).setProperties(ClusterSchedule.quartz(settings, lease.me()));
        }
        int abandoned = lease.reclaimDead();
        if (abandoned > 0) {
            LOG.warn("{} run(s) were left RUNNING by a process that stopped mid-cycle; recorded as FAILED, their rows are read again",
                    abandoned);
        }
        return lease;
    }

    /**
     * The newest row of one item when wms.item-query is not set: wms.query narrowed to the item (read
     * from the beginning), so that a WMS needs only one query configured.
     */
    static String derivedItemQuery(Settings s) {
        return "SELECT * FROM (" + s.required("wms.query") + ") wms_rows WHERE item_number = :?item AND organization_code = :?org";
    }
}
