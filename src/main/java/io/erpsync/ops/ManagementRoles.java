package io.erpsync.ops;

import io.vertx.core.Vertx;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authorization.AuthorizationProvider;
import io.vertx.ext.auth.authorization.RoleBasedAuthorization;
import io.vertx.ext.auth.properties.PropertyFileAuthorization;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;

/**
 * Who may act on the management port (README: Managing it from Hawtio). Users and roles come from
 * Camel's management users file ({@code camel.management.basic-properties-file}, Vert.x's format):
 * a user with the role {@code operator} may act, any other signed-in user is a viewer, and with
 * authentication off everyone is a viewer (nobody acts). The status page and Jolokia are both behind
 * Camel's authentication whenever it is on, whichever one path {@code camel.management.authentication-path} names.
 */
public final class ManagementRoles {
    public static final String OPERATOR = "operator";
    private static final String KEY = "erp-sync.role";

    public enum Role { VIEWER, OPERATOR }

    private final String usersFile;
    private AuthorizationProvider authorizations;

    /** @param usersFile the management users file, or null when authentication is off (or not by that file) */
    public ManagementRoles(String usersFile) {
        this.usersFile = usersFile;
    }

    /**
     * Puts Camel's authentication in front of {@code path} when authentication is on and Camel's own
     * authentication path does not cover it. Call before mounting the path's own handlers.
     */
    public static void protect(VertxPlatformHttpRouter router, AuthenticationConfig auth, String path) {
        if (!auth.isEnabled() || auth.getEntries().isEmpty() || auth.getEntries().stream().anyMatch(e -> covers(e.getPath(), path))) {
            return;
        }
        router.route(path + "/*").handler(auth.getEntries().get(0).createAuthenticationHandler(router.vertx()));
    }

    /** Whether a Vert.x route path ({@code /*}, {@code /status/*}, {@code /status}) covers everything under {@code path}. */
    static boolean covers(String routePath, String path) {
        if (routePath == null) {
            return false;
        }
        if (routePath.endsWith("*")) {
            String prefix = routePath.substring(0, routePath.length() - 1);
            return (path + "/").startsWith(prefix);
        }
        return false;
    }

    /** A route handler: looks up the signed-in user's role, keeps it on the request for {@link #of}, goes on. */
    public void resolve(RoutingContext c) {
        User user = c.user();
        if (user == null || usersFile == null) {
            c.put(KEY, Role.VIEWER);
            c.next();
            return;
        }
        authorizations(c.vertx()).getAuthorizations(user).onComplete(done -> {
            boolean operator = done.succeeded() && RoleBasedAuthorization.create(OPERATOR).match(user);
            c.put(KEY, operator ? Role.OPERATOR : Role.VIEWER);
            c.next();
        });
    }

    /** The role {@link #resolve} found for this request. */
    public static Role of(RoutingContext c) {
        Role r = c.get(KEY);
        return r == null ? Role.VIEWER : r;
    }

    /** The signed-in user's name, or null for an anonymous caller. */
    public static String user(RoutingContext c) {
        return c.user() == null ? null : c.user().subject();
    }

    // the file is read by Vert.x's file system, which needs the server's Vert.x instance
    private synchronized AuthorizationProvider authorizations(Vertx vertx) {
        if (authorizations == null) {
            authorizations = PropertyFileAuthorization.create(vertx, usersFile);
        }
        return authorizations;
    }
}
