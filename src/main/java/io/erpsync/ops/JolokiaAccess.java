package io.erpsync.ops;

import io.erpsync.ops.ManagementActions.Outcome;
import io.erpsync.ops.ManagementActions.Via;
import io.erpsync.ops.ManagementRoles.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.jolokia.core.api.LogHandler;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.jolokia.json.JSONStructure;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.RequestType;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jolokia on the management port, with a policy per role (README: Managing it from Hawtio):
 * everyone may do what {@code jolokia-access.xml} allows (read, list, search, the read-only dumps
 * Hawtio's diagram and source need), an operator also what {@code jolokia-operator-access.xml} adds,
 * and only in a POST (a GET can be made by another site's image or link, without an Origin). A
 * request from a page of another site ({@link AllowedOrigins}) is refused whatever it asks. Every
 * exec or write that is more than a read is logged and counted by {@link ManagementActions}.
 * Camel's own Jolokia plugin answers everyone with one policy, so erp-sync serves the path itself.
 */
public final class JolokiaAccess implements AutoCloseable {
    static final String EVERYONE_POLICY = "classpath:/jolokia-access.xml";
    static final String OPERATOR_POLICY = "classpath:/jolokia-operator-access.xml";
    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAccess.class);

    private final Restrictor everyone;
    private final Restrictor operators;
    private final JolokiaServiceManager viewerAgent;
    private final JolokiaServiceManager operatorAgent;
    private final HttpRequestHandler viewerRequests;
    private final HttpRequestHandler operatorRequests;
    private final AllowedOrigins origins;
    private final ManagementRoles roles;
    private final ManagementActions actions;
    /** The rules of the request this thread is answering, for {@link HawtioPermissions}: a JMX call carries no HTTP user. */
    private final ThreadLocal<Restrictor> serving = new ThreadLocal<>();

    public JolokiaAccess(AllowedOrigins origins, ManagementRoles roles, ManagementActions actions) {
        this.origins = origins;
        this.roles = roles;
        this.actions = actions;
        this.everyone = policy(EVERYONE_POLICY);
        this.operators = new OperatorRules(everyone, policy(OPERATOR_POLICY));
        this.viewerAgent = agent("viewers", everyone);
        this.operatorAgent = agent("operators", operators);
        this.viewerRequests = new HttpRequestHandler(viewerAgent.start());
        this.operatorRequests = new HttpRequestHandler(operatorAgent.start());
    }

    /** Serves Jolokia at {@code path} (behind the management authentication, when on). */
    public void mount(Router router, String path) {
        router.route(path + "/*").method(HttpMethod.GET).method(HttpMethod.POST)
                .handler(BodyHandler.create(false)).handler(roles::resolve)
                .blockingHandler(c -> answer(c, path), false);
        LOG.info("Jolokia at {} (README: Managing it from Hawtio): {} for everyone, {} for operators", path, EVERYONE_POLICY,
                OPERATOR_POLICY);
    }

    /** What the request this thread answers may invoke; outside a Jolokia request (JConsole), what everyone may. */
    public Restrictor rulesOfThisRequest() {
        Restrictor r = serving.get();
        return r == null ? everyone : r;
    }

    private void answer(RoutingContext c, String path) {
        HttpServerRequest req = c.request();
        String user = ManagementRoles.user(c);
        String origin = req.getHeader("Origin");
        String referer = req.getHeader("Referer");
        if (!origins.allows(origin, referer)) {
            String site = origin != null ? origin : referer;
            actions.record(Outcome.REFUSED, Via.JOLOKIA, user, "A " + req.method(), req.path(), "other",
                    "the page of another site (" + site + ") may not call Jolokia (management.jolokia.allowed-origins)");
            c.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                    .end(viewerRequests.handleThrowable(new SecurityException("Origin " + site + " is not allowed to call Jolokia"))
                            .toJSONString());
            return;
        }
        Role role = ManagementRoles.of(c);
        boolean acting = role == Role.OPERATOR && req.method() == HttpMethod.POST;
        HttpRequestHandler agent = acting ? operatorRequests : viewerRequests;
        JSONStructure json;
        serving.set(acting ? operators : everyone);
        try {
            json = req.method() == HttpMethod.GET
                    ? agent.handleGetRequest(req.uri(), pathInfo(req.path().substring(path.length())), params(c))
                    : agent.handlePostRequest(req.uri(), new ByteArrayInputStream(c.body().buffer() == null ? new byte[0]
                    : c.body().buffer().getBytes()), StandardCharsets.UTF_8.name(), params(c));
        } catch (Throwable e) {
            json = agent.handleThrowable(e instanceof RuntimeMBeanException r ? r.getTargetException() : e);
        } finally {
            serving.remove();
        }
        audit(json, user, role, req.method() == HttpMethod.GET);
        c.response().putHeader("Content-Type", "application/json").end(json.toJSONString());
    }

    /** One line and one count per exec or write that is more than a read, done, refused or failed. */
    private void audit(JSONStructure json, String user, Role role, boolean get) {
        List<?> answers = json instanceof JSONArray a ? a : List.of(json);
        for (Object o : answers) {
            if (!(o instanceof JSONObject answer) || !(answer.get("request") instanceof Map<?, ?> request)) {
                continue;
            }
            String type = String.valueOf(request.get("type"));
            if (!type.equals("exec") && !type.equals("write")) {
                continue;
            }
            String mbean = String.valueOf(request.get("mbean"));
            String operation = type.equals("exec") ? String.valueOf(request.get("operation"))
                    : "write of " + request.get("attribute");
            int status = answer.get("status") instanceof Number n ? n.intValue() : 500;
            ObjectName name = objectName(mbean);
            boolean readOnly = type.equals("exec") && name != null && everyone.isOperationAllowed(name, operation);
            if (readOnly && status != 403) {
                continue;
            }
            String counted = name != null && type.equals("exec") && operators.isOperationAllowed(name, operation)
                    ? operation.replaceFirst("\\(.*", "") : "other";
            if (status == 200) {
                actions.record(Outcome.DONE, Via.JOLOKIA, user, operation, mbean, counted, "");
            } else if (status == 403) {
                actions.record(Outcome.REFUSED, Via.JOLOKIA, user, operation, mbean, counted, why(role, get, counted) + " (" + answer.get("error") + ")");
            } else {
                actions.record(Outcome.FAILED, Via.JOLOKIA, user, operation, mbean, counted, String.valueOf(answer.get("error")));
            }
        }
    }

    private static String why(Role role, boolean get, String counted) {
        if (counted.equals("other")) {
            return "no one may do this through Jolokia";
        }
        if (role == Role.OPERATOR && get) {
            return "an operator acts in a POST, not a GET";
        }
        return "only an operator may (camel.management.basic-properties-file gives the role)";
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            return null;
        }
    }

    /** As a servlet container hands Jolokia its path: decoded (Vert.x keeps it as sent); a + stays a +. */
    private static String pathInfo(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Map<String, String[]> params(RoutingContext c) {
        Map<String, String[]> out = new HashMap<>();
        for (String name : c.request().params().names()) {
            out.put(name, c.request().params().getAll(name).toArray(new String[0]));
        }
        return out;
    }

    private static Restrictor policy(String location) {
        try {
            Restrictor r = RestrictorFactory.lookupPolicyRestrictor(location);
            if (r == null) {
                throw new IllegalStateException("Jolokia policy " + location + " is missing from the jar");
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JolokiaServiceManager agent(String name, Restrictor rules) {
        JolokiaServiceManager m = JolokiaServiceManagerFactory.createJolokiaServiceManager(
                new StaticConfiguration(ConfigKey.AGENT_ID, "erp-sync-" + name), new Slf4jLog(), rules);
        m.addService(new JolokiaSerializer());
        m.addService(new LocalRequestHandler(1));
        return m;
    }

    @Override
    public void close() {
        viewerAgent.stop();
        operatorAgent.stop();
    }

    /** An operator: what everyone may, and the operations of jolokia-operator-access.xml. */
    private record OperatorRules(Restrictor everyone, Restrictor more) implements Restrictor {
        @Override
        public boolean isOperationAllowed(ObjectName name, String operation) {
            return everyone.isOperationAllowed(name, operation) || more.isOperationAllowed(name, operation);
        }

        @Override
        public boolean isHttpMethodAllowed(org.jolokia.server.core.util.HttpMethod method) {
            return everyone.isHttpMethodAllowed(method);
        }

        @Override
        public boolean isTypeAllowed(RequestType type) {
            return everyone.isTypeAllowed(type);
        }

        @Override
        public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
            return everyone.isAttributeReadAllowed(name, attribute);
        }

        @Override
        public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
            return everyone.isAttributeWriteAllowed(name, attribute);
        }

        @Override
        public boolean isRemoteAccessAllowed(String... hostOrAddress) {
            return everyone.isRemoteAccessAllowed(hostOrAddress);
        }

        @Override
        public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
            return everyone.isOriginAllowed(origin, onlyWhenStrictCheckingIsEnabled);
        }

        @Override
        public boolean isObjectNameHidden(ObjectName name) {
            return everyone.isObjectNameHidden(name);
        }
    }

    private static final class Slf4jLog implements LogHandler {
        @Override
        public void debug(String message) {
            LOG.debug(message);
        }

        @Override
        public void info(String message) {
            LOG.debug(message);
        }

        @Override
        public void error(String message, Throwable t) {
            LOG.error(message, t);
        }

        @Override
        public boolean isDebug() {
            return LOG.isDebugEnabled();
        }
    }
}
