package io.erpsync;

import org.apache.camel.CamelContext;

/**
 * A feature's wiring that needs the YAML routes and Camel's own services in place (routes made from
 * templates, health checks, the HTTP component): run by the launcher once Camel is configured.
 */
interface RoutesLoaded {
    void routesLoaded(CamelContext ctx);
}
