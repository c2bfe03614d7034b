package io.erpsync;

import io.erpsync.bom.BomChanges;
import io.erpsync.bom.BomHolds;
import io.erpsync.bom.BomRetryRounds;
import io.erpsync.bom.BomSettings;
import io.erpsync.bom.BundleSettings;
import io.erpsync.bom.BundleWrites;
import io.erpsync.bom.OurWrites;
import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.conflict.BackoffPolicy;
import io.erpsync.store.Datasources;
import io.erpsync.store.StoreSettings;
import io.erpsync.target.TargetAnswer;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.Registry;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * Bills of materials (README: Bills of materials): the inbox's pool (bom.datasource.*, else the
 * WMS pool), the query for one change (derived from bom.query unless set), and the BOM beans; with
 * storefront.bundles.enabled (and the storefront among targets), the bundles that follow the bills.
 */
final class BomConfiguration implements CamelConfiguration, RoutesLoaded {
    private final Resources resources;
    private final StoreConfiguration storeConfiguration;
    private final SyncConfiguration sync;
    private BomSettings settings;
    private BomChanges bomChanges;

    BomConfiguration(Resources resources, StoreConfiguration store, SyncConfiguration sync) {
        this.resources = resources;
        this.storeConfiguration = store;
        this.sync = sync;
    }

    @Override
    public void configure(CamelContext ctx) {
        settings = BomSettings.from(new Settings(ctx.getPropertiesComponent()));
        Registry registry = ctx.getRegistry();
        registry.bind("bomDataSource", bomDataSource(registry));
        if (settings.changeQuery().isEmpty()) {
            ctx.getPropertiesComponent().addOverrideProperty("bom.change-query",
                    "SELECT * FROM (" + settings.query() + ") bom_rows WHERE change_id = :?change");
        }
        StoreConfiguration.Store store = storeConfiguration.store();
        bomChanges = new BomChanges(settings.changes(), store.runs(), store.lease(), store.queue(), store.attempts(), store.watermarks(),
                new BomHolds(store.dataSource()), new OurWrites(store.dataSource()), sync.lockRounds(), BackoffPolicy.whenLoaded(ctx, SyncConfiguration.BACKOFF_CLAUSE),
                Clock.systemUTC());
        BundleSettings bundles = BundleSettings.from(new Settings(ctx.getPropertiesComponent()));
        if (bundles.enabled()) {
            // the bundles' requests go the storefront's way (routes/storefront-call.camel.yaml): its token, rate and cap
            ProducerTemplate storefront = resources.add(ctx.createProducerTemplate());
            ProducerTemplate erp = bundles.byItemNumber() ? resources.add(ctx.createProducerTemplate()) : null;
            bomChanges.followedBy(new BundleWrites(bundles.bundles(), erp == null ? null : bill -> BomChanges.billItemNumber(bill,
                    erp.requestBody("direct:erp-call", BomChanges.billRequest(bill), TargetAnswer.class)),
                    r -> storefront.requestBody("direct:storefront-call", r, TargetAnswer.class), settings.staleAttempts()));
        }
        registry.bind("bomChanges", bomChanges);
        registry.bind("bomCycles", bomChanges.cycles());
        registry.bind("bomReplays", bomChanges.replays());
        registry.bind("bomBills", bomChanges.bills());
        registry.bind("bomRetryRounds", new BomRetryRounds());
    }

    BomChanges changes() {
        return bomChanges;
    }

    private DataSource bomDataSource(Registry registry) {
        if (settings.inbox().isEmpty()) {
            return registry.lookupByNameAndType("wmsDataSource", DataSource.class);
        }
        StoreSettings.Connection c = settings.inbox().get();
        return resources.add(Datasources.source("bom", c.url(), c.username(), c.password(), 2));
    }

    /** bom-lane-0 .. bom-lane-(bom.lanes - 1) from the bom-lane route template (routes/bom-lane.camel.yaml); none where bom.routes is false (a --once without BOM). */
    @Override
    public void routesLoaded(CamelContext ctx) {
        if (!ctx.getPropertiesComponent().resolveProperty("bom.routes").map(Boolean::parseBoolean).orElse(true)) {
            return;
        }
        try {
            for (int i = 0; i < settings.lanes(); i++) {
                TemplatedRouteBuilder.builder(ctx, "bom-lane").routeId("bom-lane-" + i).parameter("lane", String.valueOf(i)).add();
            }
        } catch (RuntimeException e) {
            throw new StartupRefused("erp-sync cannot create its lanes from routes/bom-lane.camel.yaml: " + e.getMessage());
        }
    }
}
