package io.erpsync.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.erpsync.TestRuntime;
import io.erpsync.sandbox.SandboxErp;
import org.apache.camel.ServiceStatus;
import org.jolokia.client.JolokiaClient;
import org.jolokia.client.JolokiaClientBuilder;
import org.jolokia.client.exception.JolokiaException;
import org.jolokia.client.exception.JolokiaRemoteException;
import org.jolokia.client.request.HttpMethod;
import org.jolokia.client.request.JolokiaExecRequest;
import org.jolokia.client.request.JolokiaListRequest;
import org.jolokia.client.request.JolokiaRequest;
import org.jolokia.client.request.JolokiaWriteRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jolokia as Hawtio uses it, over real HTTP with the Jolokia project's Java client: what a viewer and
 * an operator may do, pinned pair by pair, the requests Hawtio's buttons send, another site kept out,
 * and who did what in the log and the metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JolokiaRolesTest {
    static final String ROUTE = "org.apache.camel:context=erp-sync,type=routes,name=\"full-reconcile-schedule\"";
    static final String CONTEXT = "org.apache.camel:context=erp-sync,type=context,name=\"erp-sync\"";
    static final String SERVICE = SyncService.OBJECT_NAME;

    SandboxErp erp;
    TestRuntime rt;
    JolokiaClient anonymous;
    JolokiaClient viewer;
    JolokiaClient operator;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    void start() throws Exception {
        Path users = Files.createTempFile("management-users", ".properties");
        Files.writeString(users, "user.olga = olga-secret,operator\nuser.victor = victor-secret,viewer\n"
                + "role.operator = *\nrole.viewer = read\n");
        users.toFile().deleteOnExit();
        erp = TestRuntime.sandbox(20);
        rt = new TestRuntime(erp).set("camel.main.jmx-enabled", "true").managed()
                .set("camel.management.authentication-enabled", "true")
                .set("camel.management.basic-properties-file", users.toString())
                .set("camel.management.authentication-path", "/status/*")
                .start();
        rt.wmsItem(1, 10);
        anonymous = client(null, null);
        viewer = client("victor", "victor-secret");
        operator = client("olga", "olga-secret");
        log.start();
        ((Logger) LoggerFactory.getLogger(ManagementActions.class)).addAppender(log);
    }

    @AfterAll
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(ManagementActions.class)).detachAppender(log);
        for (JolokiaClient c : List.of(anonymous, viewer, operator)) {
            c.close();
        }
        rt.close();
        erp.close();
    }

    JolokiaClient client(String user, String password) {
        JolokiaClientBuilder b = new JolokiaClientBuilder().url(rt.managementUrl("/observe/jolokia"));
        if (user != null) {
            b.user(user).password(password);
        }
        return b.build();
    }

    /** 200, or the status Jolokia answered the request with (403: refused by the policy); POSTed, as Hawtio does. */
    static int status(JolokiaClient client, JolokiaRequest request) throws JolokiaException {
        try {
            client.execute(request, HttpMethod.POST);
            return 200;
        } catch (JolokiaRemoteException e) {
            return e.getStatus();
        }
    }

    record Pair(String mbean, String operation, Object[] arguments, int viewer, int operator) {
        JolokiaRequest request() throws Exception {
            return new JolokiaExecRequest(mbean, operation, arguments);
        }

        @Override
        public String toString() {
            return operation + " on " + mbean;
        }
    }

    static Pair pair(String mbean, String operation, int viewer, int operator, Object... arguments) {
        return new Pair(mbean, operation, arguments, viewer, operator);
    }

    @Test
    void every_allowed_and_every_refused_operation_is_pinned_for_viewers_and_operators() throws Exception {
        List<Pair> pairs = List.of(
                // what Hawtio's route diagram, source and statistics tabs send: everyone
                pair(CONTEXT, "dumpRoutesAsXml()", 200, 200),
                pair(CONTEXT, "dumpRoutesAsXml(boolean)", 200, 200, true),
                pair(CONTEXT, "dumpRoutesAsXml(boolean,boolean)", 200, 200, true, false),
                pair(CONTEXT, "dumpRoutesAsXml(boolean,boolean,boolean)", 200, 200, true, false, false),
                pair(CONTEXT, "dumpRoutesStatsAsXml(boolean,boolean)", 200, 200, true, true),
                pair(CONTEXT, "dumpStatsAsXml(boolean)", 200, 200, true),
                pair(ROUTE, "dumpStatsAsXml(boolean)", 200, 200, true),
                pair(HawtioPermissions.OBJECT_NAME, "canInvoke(java.lang.String)", 200, 200, ROUTE),
                // a route's buttons: operators only
                pair(ROUTE, "stop()", 403, 200),
                pair(ROUTE, "start()", 403, 200),
                pair(ROUTE, "suspend()", 403, 200),
                pair(ROUTE, "resume()", 403, 200),
                pair(ROUTE, "stop(long)", 403, 200, 5L),
                pair(ROUTE, "start", 403, 200),
                pair(ROUTE, "suspend(long)", 403, 200, 5L),
                pair(ROUTE, "resume", 403, 200),
                // the sync: operators only
                pair(SERVICE, "runNow()", 403, 200),
                pair(SERVICE, "pause()", 403, 200),
                pair(SERVICE, "resume()", 403, 200),
                pair(SERVICE, "replayExceptions(java.lang.String)", 403, 200, "class=RECORD_LOCKED"),
                pair(SERVICE, "releaseBill(long)", 403, 200, 4711L),
                pair(SERVICE, "coolDownHotItems()", 403, 200),
                // no one
                pair(CONTEXT, "stop()", 403, 403),
                pair(CONTEXT, "suspend()", 403, 403),
                pair(CONTEXT, "restart()", 403, 403),
                pair(CONTEXT, "startAllRoutes()", 403, 403),
                pair(CONTEXT, "dumpRoutesAsYaml()", 403, 403),
                pair(ROUTE, "remove()", 403, 403),
                pair(ROUTE, "stopAndFail()", 403, 403),
                pair(ROUTE, "restart()", 403, 403),
                pair(ROUTE, "stop(java.lang.Long,java.lang.Boolean)", 403, 403, 5L, true),
                pair(ROUTE, "updateRouteFromXml(java.lang.String)", 403, 403, "<route/>"),
                pair("java.lang:type=Memory", "gc()", 403, 403),
                pair("java.lang:type=Threading", "dumpAllThreads(boolean,boolean)", 403, 403, false, false),
                pair("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)", 403, 403, "/tmp/erp-sync.hprof", true),
                pair("jdk.management.jfr:type=FlightRecorder", "newRecording()", 403, 403));

        List<String> wrong = new ArrayList<>();
        for (Pair p : pairs) {
            int anonymousGot = status(anonymous, p.request());
            int viewerGot = status(viewer, p.request());
            int operatorGot = status(operator, p.request());
            if (anonymousGot != 401 || viewerGot != p.viewer || operatorGot != p.operator) {
                wrong.add(p + ": anonymous " + anonymousGot + ", viewer " + viewerGot + " (want " + p.viewer + "), operator "
                        + operatorGot + " (want " + p.operator + ")");
            }
        }
        for (JolokiaWriteRequest write : List.of(new JolokiaWriteRequest("java.lang:type=Memory", "Verbose", true),
                new JolokiaWriteRequest(CONTEXT, "Tracing", true), new JolokiaWriteRequest(ROUTE, "TracingPattern", "*"))) {
            if (status(viewer, write) != 403 || status(operator, write) != 403) {
                wrong.add("write of " + write.getAttribute() + " on " + write.getObjectName() + " is allowed");
            }
        }

        assertEquals(List.of(), wrong);
        assertEquals(ServiceStatus.Started, rt.context().getRouteController().getRouteStatus("full-reconcile-schedule"),
                "the route went through stop, start, suspend and resume and is running");
        await().atMost(Duration.ofSeconds(30)).until(() -> rt.runs().stream().anyMatch(r -> r.updated() == 1));
        assertFalse(rt.bean("syncService", SyncService.class).isSchedulePaused(), "paused, then resumed");
        assertTrue(rt.context().getStatus().isStarted(), "the context was not stopped");
        assertFalse(Files.exists(Path.of("/tmp/erp-sync.hprof")), "no heap dump was written");
    }

    @Test
    void the_requests_hawtios_buttons_send_stop_and_start_a_route_for_an_operator_and_nothing_for_a_viewer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        // Hawtio posts Jolokia's JSON as text/plain through its proxy, which passes the browser's Origin on
        String stop = "{\"type\":\"exec\",\"mbean\":" + quoted(ROUTE) + ",\"operation\":\"stop()\"}";

        HttpResponse<String> byViewer = post(http, stop, "victor", "victor-secret", "http://localhost:8080");
        assertEquals(ServiceStatus.Started, routeStatus());
        HttpResponse<String> byOperator = post(http, stop, "olga", "olga-secret", "http://localhost:8080");
        ServiceStatus afterStop = routeStatus();
        HttpResponse<String> start = post(http, stop.replace("stop()", "start()"), "olga", "olga-secret", "http://localhost:8080");

        assertTrue(byViewer.body().contains("\"status\":403"), byViewer.body());
        assertTrue(byOperator.body().contains("\"status\":200"), byOperator.body());
        assertEquals(ServiceStatus.Stopped, afterStop);
        assertTrue(start.body().contains("\"status\":200"), start.body());
        assertEquals(ServiceStatus.Started, routeStatus());
        assertTrue(lines(Level.INFO).contains("stop() on " + ROUTE + " requested over Jolokia by olga"), lines(Level.INFO).toString());
        assertTrue(lines(Level.WARN).stream().anyMatch(l -> l.startsWith("stop() on " + ROUTE + " over Jolokia refused for victor")),
                lines(Level.WARN).toString());
        String metrics = http.send(HttpRequest.newBuilder(URI.create(rt.managementUrl("/observe/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(counted(metrics, "operation=\"stop\"", "outcome=\"done\"", "via=\"jolokia\"") >= 1, metrics);
        assertTrue(counted(metrics, "operation=\"stop\"", "outcome=\"refused\"", "via=\"jolokia\"") >= 1, metrics);
    }

    @Test
    void a_page_of_another_site_is_refused_whatever_it_asks_and_an_operators_get_cannot_act() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int runs = rt.runs().size();
        String runNow = "{\"type\":\"exec\",\"mbean\":\"" + SERVICE + "\",\"operation\":\"runNow()\"}";
        String read = "{\"type\":\"read\",\"mbean\":\"" + SERVICE + "\",\"attribute\":\"LastCycleStatus\"}";

        // a browser that holds the operator's credentials, on a page of http://evil.example
        HttpResponse<String> crossSite = post(http, runNow, "olga", "olga-secret", "http://evil.example");
        HttpResponse<String> crossSiteRead = post(http, read, "olga", "olga-secret", "http://evil.example");
        HttpRequest.Builder refererOnly = HttpRequest.newBuilder(URI.create(rt.managementUrl("/observe/jolokia/exec/" + SERVICE + "/runNow")))
                .header("Authorization", StatusPageTest.basic("olga", "olga-secret")).header("Referer", "http://evil.example/page.html");
        HttpResponse<String> crossSiteImage = http.send(refererOnly.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> operatorsGet = http.send(HttpRequest.newBuilder(URI.create(rt.managementUrl("/observe/jolokia/exec/" + SERVICE + "/runNow")))
                .header("Authorization", StatusPageTest.basic("olga", "olga-secret")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> preflightLess = post(http, read, "olga", "olga-secret", "null");

        assertEquals(403, crossSite.statusCode(), crossSite.body());
        assertEquals(403, crossSiteRead.statusCode(), "another site may not even read: " + crossSiteRead.body());
        assertEquals(403, crossSiteImage.statusCode(), crossSiteImage.body());
        assertEquals(403, preflightLess.statusCode(), "a sandboxed page's Origin: null");
        assertTrue(operatorsGet.body().contains("\"status\":403"), operatorsGet.body());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> rt.runs().size() == runs);
        assertTrue(lines(Level.WARN).stream().anyMatch(l -> l.contains("refused for olga: the page of another site (http://evil.example)")),
                lines(Level.WARN).toString());
        assertTrue(lines(Level.WARN).stream().anyMatch(l -> l.contains("runNow on " + SERVICE + " over Jolokia refused for olga: "
                + "an operator acts in a POST")), lines(Level.WARN).toString());
    }

    @Test
    void hawtios_permission_check_answers_for_the_signed_in_user() throws Exception {
        Map<String, List<String>> query = Map.of(ROUTE, List.of("stop()", "start()", "remove()"), CONTEXT, List.of("stop()", "dumpRoutesAsXml()"),
                SERVICE, List.of("runNow()", "replayExceptions(java.lang.String)"));
        JolokiaExecRequest bulk = new JolokiaExecRequest(HawtioPermissions.OBJECT_NAME, "canInvoke(java.util.Map)", query);

        Map<String, Map<String, Map<String, Object>>> forViewer = viewer.execute(bulk, HttpMethod.POST).getValue();
        Map<String, Map<String, Map<String, Object>>> forOperator = operator.execute(bulk, HttpMethod.POST).getValue();

        assertEquals(Map.of(ROUTE, Map.of("stop()", false, "start()", false, "remove()", false), CONTEXT, Map.of("stop()", false,
                "dumpRoutesAsXml()", true), SERVICE, Map.of("runNow()", false, "replayExceptions(java.lang.String)", false)), canInvoke(forViewer));
        assertEquals(Map.of(ROUTE, Map.of("stop()", true, "start()", true, "remove()", false), CONTEXT, Map.of("stop()", false,
                "dumpRoutesAsXml()", true), SERVICE, Map.of("runNow()", true, "replayExceptions(java.lang.String)", true)), canInvoke(forOperator));
        JolokiaExecRequest anyOf = new JolokiaExecRequest(HawtioPermissions.OBJECT_NAME, "canInvoke(java.lang.String)", SERVICE);
        assertEquals(false, viewer.execute(anyOf, HttpMethod.POST).getValue(), "a viewer may invoke nothing on the SyncService");
        assertEquals(true, operator.execute(anyOf, HttpMethod.POST).getValue());
    }

    @Test
    void the_sync_services_operations_and_parameters_say_what_they_do() throws Exception {
        Map<String, Map<String, Map<String, Object>>> domain = viewer.execute(new JolokiaListRequest("erp-sync"), HttpMethod.POST).getValue();
        Map<String, Object> ops = (Map<String, Object>) domain.get("type=SyncService").get("op");
        Map<String, Object> replay = (Map<String, Object>) ops.get("replayExceptions");
        Map<String, Object> filter = ((List<Map<String, Object>>) replay.get("args")).get(0);

        assertTrue(String.valueOf(replay.get("desc")).contains("exception queue"), replay.toString());
        assertEquals("filter", filter.get("name"));
        assertTrue(String.valueOf(filter.get("desc")).contains("class=RECORD_LOCKED (every item parked behind a lock)"), filter.toString());
        for (Map.Entry<String, Object> op : ops.entrySet()) {
            assertFalse(String.valueOf(op.getValue()).contains("Operation exposed for management"), op.toString());
        }
    }

    @Test
    void a_wrong_password_gets_no_answer() {
        JolokiaClient intruder = client("olga", "guess");
        assertThrows(JolokiaException.class, () -> intruder.execute(new JolokiaListRequest("erp-sync")));
    }

    private static Map<String, Map<String, Boolean>> canInvoke(Map<String, Map<String, Map<String, Object>>> answer) {
        Map<String, Map<String, Boolean>> out = new java.util.HashMap<>();
        answer.forEach((mbean, ops) -> {
            Map<String, Boolean> m = new java.util.HashMap<>();
            ops.forEach((op, a) -> m.put(op, (Boolean) a.get("CanInvoke")));
            out.put(mbean, m);
        });
        return out;
    }

    private HttpResponse<String> post(HttpClient http, String body, String user, String password, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(rt.managementUrl("/observe/jolokia/"))).header("Content-Type", "text/plain")
                .header("Authorization", StatusPageTest.basic(user, password)).header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private ServiceStatus routeStatus() {
        return rt.context().getRouteController().getRouteStatus("full-reconcile-schedule");
    }

    private List<String> lines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }

    /** The value of the Prometheus counter line carrying all these labels. */
    private static double counted(String metrics, String... labels) {
        return metrics.lines().filter(l -> l.startsWith("erp_sync_management_actions_total{"))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
