package io.erpsync;

import io.erpsync.breaker.BreakerSettings;
import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.config.Settings;
import io.erpsync.conflict.AdaptiveRate;
import io.erpsync.target.Target;
import io.erpsync.target.storefront.AccessTokens;
import io.erpsync.target.storefront.Storefront;
import io.erpsync.target.storefront.StorefrontHttp;
import io.erpsync.target.storefront.StorefrontSettings;
import io.erpsync.wms.ProductIds;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;

/**
 * The storefront as a target (README: Storefront), when the setting targets names it: its settings
 * (storefront.*), its access tokens and transport (storefrontHttp, routes/storefront-call.camel.yaml),
 * its request rate in force (storefrontRate) and its own circuit breaker. Without it, the call route's
 * beans are still there (the route is loaded whatever the targets), and refuse to send.
 */
final class StorefrontConfiguration implements CamelConfiguration {
    static final String NAME = "storefront";
    private static final Logger LOG = LoggerFactory.getLogger(StorefrontConfiguration.class);
    private final Resources resources;
    private Target target;
    private UpdateBreaker breaker;
    private AdaptiveRate rate;
    private StorefrontSettings settings;
    private ProductIds productIds;

    StorefrontConfiguration(Resources resources) {
        this.resources = resources;
    }

    @Override
    public void configure(CamelContext ctx) {
        Settings s = new Settings(ctx.getPropertiesComponent());
        boolean wanted = s.list("targets").contains(NAME);
        Clock clock = Clock.systemUTC();
        int maxPerSecond = s.integer("storefront.max-requests-per-second");
        rate = new AdaptiveRate(s.flag("erp.rate.adaptive"), maxPerSecond, Math.min(s.integer("erp.rate.floor"), maxPerSecond),
                s.decimal("erp.rate.decrease"), s.integer("erp.rate.increase"), clock);
        ctx.getRegistry().bind("storefrontRate", rate);
        if (!wanted) {
            ctx.getRegistry().bind("storefrontHttp", new StorefrontHttp(null, null, "", 0, 1));
            return;
        }
        settings = StorefrontSettings.from(s);
        productIds = new ProductIds(s.optional("storefront.product-id-column").orElse(null));
        target = Storefront.target(settings.lists(), Map.of(), productIds);
        var template = resources.add(ctx.createProducerTemplate());
        AccessTokens tokens = new AccessTokens(settings.tokenPath(), settings.clientId(), settings.clientSecret());
        ctx.getRegistry().bind("storefrontHttp", new StorefrontHttp(tokens, template, settings.baseUrl(), settings.maxAnswerBytes(),
                settings.maxConcurrent()));
        BreakerSettings b = BreakerSettings.from(s);
        breaker = new UpdateBreaker(b.failureRatePercent(), b.window(), b.minimumUpdates(), b.openDuration(), b.probes(),
                (at, from, to, failureRate) -> LOG.warn("storefront circuit breaker {} -> {} (failure rate {} %)", from, to, failureRate),
                clock);
        ctx.getRegistry().bind("storefrontBreaker", breaker);
        LOG.info("The storefront at {} is a target: inventory lists {}", settings.baseUrl(), settings.lists().byOrganization());
    }

    /** The storefront behind the target seam; null unless targets names it. */
    Target target() {
        return target;
    }

    /** The product ids the WMS read keeps for the storefront (storefront.product-id-column); null unless targets names it. */
    ProductIds productIds() {
        return productIds;
    }

    UpdateBreaker breaker() {
        return breaker;
    }

    AdaptiveRate rate() {
        return rate;
    }

    /** Its lanes (storefront.lanes). */
    int lanes() {
        return settings.lanes();
    }
}
