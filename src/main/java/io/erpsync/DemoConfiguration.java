package io.erpsync;

import io.erpsync.config.Durations;
import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.sandbox.BusyErp;
import io.erpsync.sandbox.DemoSettings;
import io.erpsync.sandbox.LivingWarehouse;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The dev profile's activity while the schedule runs (README: See it work): the sample warehouse
 * keeps changing and the sandbox ERP is busy. Its knobs apply now (an unknown one stops the start);
 * it starts once the context has. Never with --once.
 */
final class DemoConfiguration implements CamelConfiguration {
    private final Resources resources;
    private final SandboxConfiguration sandbox;

    DemoConfiguration(Resources resources, SandboxConfiguration sandbox) {
        this.resources = resources;
        this.sandbox = sandbox;
    }

    @Override
    public void configure(CamelContext ctx) throws Exception {
        SandboxErp erp = sandbox.sandbox();
        Settings settings = new Settings(ctx.getPropertiesComponent());
        if (!settings.flag("sync.schedule.enabled")) {
            return;
        }
        busyStorefront(settings);
        if (erp == null) {
            return;
        }
        DemoSettings demo = sandbox.demo();
        erp.applyKnobs(demo.knobs());
        ctx.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                start(context, erp, demo);
            }
        });
    }

    /**
     * The storefront sandbox while the schedule runs: checkout places orders on a share of the records
     * (sandbox.storefront.busy.orders = every,share: each a new state), a merchant edits other fields
     * (sandbox.storefront.busy.merchant); empty: never.
     */
    private void busyStorefront(Settings s) {
        SandboxStorefront sf = sandbox.storefront();
        if (sf == null) {
            return;
        }
        every(s, "sandbox.storefront.busy.orders", (ms, share) -> sf.placeOrdersEvery(ms, share, 42));
        every(s, "sandbox.storefront.busy.merchant", (ms, share) -> sf.editOtherFieldsEvery(ms, share, 43));
    }

    private static void every(Settings s, String key, BiConsumer<Long, Double> start) {
        List<String> parts = s.list(key);
        if (parts.isEmpty()) {
            return;
        }
        if (parts.size() != 2) {
            throw new StartupRefused(key + " is every,share (e.g. 2s,0.05), was " + parts);
        }
        try {
            start.accept(Durations.parse(key, parts.get(0)).toMillis(), Double.parseDouble(parts.get(1)));
        } catch (RuntimeException e) {
            throw new StartupRefused(key + " is every,share (e.g. 2s,0.05), was " + parts + ": " + e.getMessage());
        }
    }

    private void start(CamelContext ctx, SandboxErp erp, DemoSettings demo) {
        if (demo.living()) {
            DataSource wms = ctx.getRegistry().lookupByNameAndType("wmsDataSource", DataSource.class);
            resources.add(new LivingWarehouse(wms, demo.changeRows(), Clock.systemUTC(), demo.seed()).start(demo.changeEvery()));
        }
        if (demo.busy()) {
            resources.add(new BusyErp(erp).start(demo.knownJob(), demo.unknownJob(), demo.lockStorm()));
        }
    }
}
