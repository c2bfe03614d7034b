package io.erpsync;

import io.erpsync.config.Settings;
import io.erpsync.conflict.AdaptiveRate;
import io.erpsync.conflict.RateSettings;
import io.erpsync.target.Target;
import io.erpsync.target.fusion.ErpCredentials;
import io.erpsync.target.fusion.ErpHttp;
import io.erpsync.target.fusion.ErpSettings;
import io.erpsync.target.fusion.ErpTls;
import io.erpsync.target.fusion.Fusion;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** The ERP as a target: how erp-sync signs in, the answers it reads, and the HTTP client's trust of the ERP. */
final class ErpConfiguration implements CamelConfiguration, RoutesLoaded {
    private static final Logger LOG = LoggerFactory.getLogger(ErpConfiguration.class);
    private ErpCredentials erpCredentials;
    private ErpTls erpTls;
    private AdaptiveRate erpRate;
    private final Target target = Fusion.target();

    /** The ERP behind the target seam: what the stock sync reads, writes and classifies through. */
    Target target() {
        return target;
    }

    @Override
    public void configure(CamelContext ctx) {
        ErpSettings settings = ErpSettings.from(new Settings(ctx.getPropertiesComponent()));
        erpCredentials = settings.credentials();
        erpTls = settings.tls();
        ctx.getRegistry().bind("erpCredentials", erpCredentials);
        ctx.getRegistry().bind("erpHttp", new ErpHttp(erpCredentials, settings.maxAnswerBytes()));
        ctx.getRegistry().bind("erpTls", erpTls);
        erpRate = RateSettings.from(new Settings(ctx.getPropertiesComponent())).rate(Clock.systemUTC());
        ctx.getRegistry().bind("erpRate", erpRate);
    }

    /** The ERP's request rate in force (erp.rate.*), for metrics and the status page. */
    AdaptiveRate rate() {
        return erpRate;
    }

    ErpCredentials credentials() {
        return erpCredentials;
    }

    ErpTls tls() {
        return erpTls;
    }

    /**
     * One HTTP client configuration for the ERP whatever the scheme of erp.base-url: Camel makes the
     * "https" component apart from "http", so the camel.component.http.* settings (no automatic
     * retries, timeouts, the connection cap) would miss an https ERP; the configured "http"
     * component serves both. The ERP's trust (erp.tls.*) is set on it.
     */
    @Override
    public void routesLoaded(CamelContext ctx) {
        HttpComponent http = ctx.getComponent("http", HttpComponent.class);
        if (ctx.hasComponent("https") == null) {
            ctx.addComponent("https", http);
        } else {
            LOG.warn("camel.component.https.* is set: the https component keeps its own settings, not those of camel.component.http.*");
        }
        SSLContextParameters ssl = erpTls.parameters(ctx);
        if (ssl != null) {
            http.setSslContextParameters(ssl);
        }
        if (erpTls.trustAll()) {
            LOG.warn("erp.tls.trust-all = true: the ERP's certificate and host name are not checked (refused in the prod profile)");
            http.setX509HostnameVerifier(NoopHostnameVerifier.INSTANCE);
        }
    }
}
