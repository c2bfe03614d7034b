package io.erpsync;

import io.erpsync.config.MillisFunction;
import io.erpsync.config.RenamedSettings;
import io.erpsync.config.RequiredSettings;
import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.util.List;

/**
 * First of the wiring: the settings (renamed keys read as their new names, the required ones
 * present, no check of the ERP turned off in prod), the {{millis:...}} function the routes use, and
 * the closing of what the features open.
 */
final class RuntimeConfiguration implements CamelConfiguration {
    private final Resources resources;

    RuntimeConfiguration(Resources resources) {
        this.resources = resources;
    }

    @Override
    public void configure(CamelContext ctx) throws Exception {
        ctx.getPropertiesComponent().addPropertiesFunction(new MillisFunction());
        RenamedSettings.apply(ctx.getPropertiesComponent());
        refuseWithoutRequiredSettings(new Settings(ctx.getPropertiesComponent()));
        // the throttle's scheduler keeps a periodic task; do not wait the default 10 s for it on stop
        ctx.getExecutorServiceManager().setShutdownAwaitTermination(1000);
        ctx.addService(resources, true);
    }

    private static void refuseWithoutRequiredSettings(Settings s) {
        List<String> missing = RequiredSettings.missing(s);
        String profile = s.text("camel.main.profile");
        if (!missing.isEmpty() && !s.flag("sandbox.enabled")) {
            throw new StartupRefused(RequiredSettings.message(profile, missing));
        }
        if ("prod".equals(profile)) {
            for (String key : List.of("erp.tls.trust-all", "camel.ssl.trust-all-certificates")) {
                if (s.find(key).map(Boolean::parseBoolean).orElse(false)) {
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
}
