package io.erpsync;

import com.zaxxer.hikari.HikariDataSource;
import io.erpsync.config.RequiredSettings;
import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.erp.ErpCredentials;
import io.erpsync.erp.ErpHttp;
import io.erpsync.erp.ErpRequestCounter;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxSettings;
import io.erpsync.store.Datasources;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.SyncRuns;
import io.erpsync.store.Watermarks;
import io.erpsync.sync.BatchPush;
import io.erpsync.sync.Cycles;
import io.erpsync.sync.SegmentBatches;
import io.erpsync.wms.SampleWarehouse;
import io.erpsync.wms.StockRows;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** All wiring in one place: settings are read, resources opened, beans bound for the routes by name. */
public final class ErpSyncConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext ctx) throws Exception {
        Settings s = new Settings(ctx.getPropertiesComponent());
        String profile = s.text("camel.main.profile", "dev");
        List<String> missing = RequiredSettings.missing(s);
        if (!missing.isEmpty() && !s.flag("sandbox.enabled", false)) {
            throw new StartupRefused(RequiredSettings.message(profile, missing));
        }
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
        registry.bind("exceptionQueue", queue);
        registry.bind("syncRuns", runs);
        registry.bind("cycles", new Cycles(runs, new Watermarks(store), queue, StockRows.of(s.text("sync.segment.fields", "organization_code,category")),
                clock, s.integer("sync.batch-size", 50), s.duration("sync.cycle.settle-timeout", Duration.ofMinutes(30)),
                "wms", s.flag("sync.full-reconcile", false)));
        registry.bind("segmentBatches", new SegmentBatches());
        registry.bind("batchPush", new BatchPush(queue, clock));
        registry.bind("erpHttp", new ErpHttp(ErpCredentials.of(s.text("erp.username", null), s.text("erp.password", null),
                s.text("erp.token", null))));
        ctx.getManagementStrategy().addEventNotifier(new ErpRequestCounter());
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
