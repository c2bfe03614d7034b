package io.erpsync;

import io.erpsync.config.Settings;
import io.erpsync.sandbox.DemoSettings;
import io.erpsync.sandbox.SampleWarehouse;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxSettings;
import io.erpsync.sandbox.storefront.SampleStorefront;
import io.erpsync.sandbox.storefront.SandboxStorefront;
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
    private SandboxStorefront storefront;
    private DemoSettings demo;

    SandboxConfiguration(Resources resources) {
        this.resources = resources;
    }

    @Override
    public void configure(CamelContext ctx) throws Exception {
        Settings s = new Settings(ctx.getPropertiesComponent());
        if (s.flag("sandbox.enabled")) {
            demo = DemoSettings.from(s);
            ctx.getRegistry().bind("sandboxErp", sandboxErp(ctx, s));
        }
        if (s.flag("sandbox.storefront.enabled")) {
            ctx.getRegistry().bind("sandboxStorefront", sandboxStorefront(ctx, s));
        }
    }

    /**
     * The storefront sandbox (README: Storefront) beside the ERP's, its records those of the ERP
     * sandbox's items (sandbox.items records otherwise); with sandbox.storefront.port 0 (or sandbox.port 0) or no
     * storefront.base-url the runtime is pointed at it.
     */
    private SandboxStorefront sandboxStorefront(CamelContext ctx, Settings s) throws Exception {
        SandboxStorefront.Config c = new SandboxStorefront.Config();
        // a free port when the ERP sandbox takes one (sandbox.port 0: tests, the jar's tests), else its own
        c.port = s.integer("sandbox.port") == 0 ? 0 : s.integer("sandbox.storefront.port");
        c.bindAddress = s.text("sandbox.bind-address");
        storefront = resources.add(new SandboxStorefront(c).start());
        if (sandbox != null) {
            SampleStorefront.seed(storefront, sandbox);
        } else {
            SampleStorefront.seed(storefront, s.integer("sandbox.items"));
        }
        if (s.find("storefront.base-url").isEmpty() || c.port == 0) {
            ctx.getPropertiesComponent().addOverrideProperty("storefront.base-url", storefront.baseUrl());
        }
        return storefront;
    }

    /** The storefront sandbox, or null. */
    SandboxStorefront storefront() {
        return storefront;
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
