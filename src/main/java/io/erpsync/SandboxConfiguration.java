package io.erpsync;

import io.erpsync.config.Settings;
import io.erpsync.sandbox.DemoSettings;
import io.erpsync.sandbox.SampleWarehouse;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxSettings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * The in-process sandbox ERP (dev profile, tests; sandbox.enabled): started before the rest, so that
 * with sandbox.port 0 or no erp.base-url the runtime is pointed at it.
 */
final class SandboxConfiguration implements CamelConfiguration {
    private final Resources resources;
    private SandboxErp sandbox;
    private DemoSettings demo;

    SandboxConfiguration(Resources resources) {
        this.resources = resources;
    }

    @Override
    public void configure(CamelContext ctx) throws Exception {
        Settings s = new Settings(ctx.getPropertiesComponent());
        if (!s.flag("sandbox.enabled")) {
            return;
        }
        demo = DemoSettings.from(s);
        ctx.getRegistry().bind("sandboxErp", sandboxErp(ctx, s));
    }

    private SandboxErp sandboxErp(CamelContext ctx, Settings s) throws Exception {
        sandbox = resources.add(new SandboxErp(SandboxSettings.from(s)).start());
        if (s.find("erp.base-url").isEmpty() || s.integer("sandbox.port") == 0) {
            ctx.getPropertiesComponent().addOverrideProperty("erp.base-url", sandbox.baseUrl());
        }
        return sandbox;
    }

    /** The sandbox, or null when this process runs without one. */
    SandboxErp sandbox() {
        return sandbox;
    }

    DemoSettings demo() {
        return demo;
    }

    /** With the sandbox and wms.sample.enabled: the WMS holds the sample warehouse, matching the sandbox's items. */
    void fillSampleWarehouse(DataSource wms) throws SQLException {
        if (sandbox != null && demo.sampleEnabled()) {
            SampleWarehouse.ensure(wms, sandbox, demo.sampleRows());
        }
    }
}
