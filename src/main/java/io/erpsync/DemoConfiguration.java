package io.erpsync;

import io.erpsync.config.Settings;
import io.erpsync.sandbox.BusyErp;
import io.erpsync.sandbox.DemoSettings;
import io.erpsync.sandbox.LivingWarehouse;
import io.erpsync.sandbox.SandboxErp;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;

import javax.sql.DataSource;
import java.time.Clock;

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
        if (erp == null || !new Settings(ctx.getPropertiesComponent()).flag("sync.schedule.enabled")) {
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
