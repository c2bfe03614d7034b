package io.erpsync.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.sandbox.SandboxErp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A real JMX client over RMI, with credentials, against the running runtime. */
class SyncServiceJmxTest {

    @Test
    void jolokia_on_the_management_port_reads_attributes_but_cannot_change_anything() throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(10);
             TestRuntime rt = new TestRuntime(erp).set("camel.main.jmx-enabled", "true").managed().start()) {
            rt.wmsItem(1, 10);
            rt.runCycle();
            HttpClient http = HttpClient.newHttpClient();
            String base = rt.managementUrl("/observe/jolokia");

            String read = http.send(HttpRequest.newBuilder(URI.create(base + "/read/erp-sync:type=SyncService/LastCycleStatus"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            String exec = http.send(HttpRequest.newBuilder(URI.create(base + "/exec/erp-sync:type=SyncService/runNow"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();

            assertTrue(read.contains("\"value\":\"SUCCEEDED\""), read);
            assertTrue(exec.contains("\"status\":403"), "exec is refused: " + exec);
            assertEquals(1, rt.runs().size(), "no cycle was started through Jolokia");
        }
    }

    @Test
    void an_operator_reads_the_state_steers_routes_runs_a_cycle_and_replays_over_remote_jmx(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path passwords = Files.writeString(dir.resolve("jmx.password"), "operator s3cret\n");
        Path access = Files.writeString(dir.resolve("jmx.access"), "operator readwrite\n");
        try (SandboxErp erp = TestRuntime.sandbox(100);
             TestRuntime rt = new TestRuntime(erp).set("camel.main.jmx-enabled", "true")
                     .set("management.jmx.remote.enabled", "true").set("management.jmx.remote.port", String.valueOf(port))
                     .set("management.jmx.remote.password-file", passwords.toString())
                     .set("management.jmx.remote.access-file", access.toString())
                     .set("sync.retry.lock-delays", "20ms").start()) {
            rt.wmsItem(1, 10);
            rt.wms("NO-SUCH-ITEM", "M1", "TOOLS", 3);
            rt.runCycle();

            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            assertThrows(SecurityException.class, () -> JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[]{"operator", "wrong"})));
            try (JMXConnector jmx = JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[]{"operator", "s3cret"}))) {
                MBeanServerConnection mbs = jmx.getMBeanServerConnection();
                ObjectName service = new ObjectName(SyncService.OBJECT_NAME);

                assertEquals("COMPLETED_WITH_PARKED", mbs.getAttribute(service, "LastCycleStatus"));
                String summary = (String) mbs.getAttribute(service, "LastCycleSummary");
                assertTrue(summary.contains("\"parked\":1") && summary.contains("\"node\":\"" + ProcessHandle.current().pid() + "@"), summary);
                assertEquals("{\"UNKNOWN_ITEM\":1}", mbs.getAttribute(service, "OpenExceptionsByClass"));
                assertEquals("CLOSED", mbs.getAttribute(service, "BreakerState"));
                assertEquals("open", mbs.getAttribute(service, "GateState"));
                assertTrue((Boolean) mbs.getAttribute(service, "SchedulePaused"), "the test runtime has no schedule running");

                // Camel's own MBeans: stop and start a route
                Set<ObjectName> routes = mbs.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"erp-push\",*"), null);
                assertEquals(1, routes.size());
                ObjectName erpPush = routes.iterator().next();
                mbs.invoke(erpPush, "stop", null, null);
                assertEquals("Stopped", mbs.getAttribute(erpPush, "State"));
                mbs.invoke(erpPush, "start", null, null);
                assertEquals("Started", mbs.getAttribute(erpPush, "State"));

                rt.wmsItem(3, 33);
                mbs.invoke(service, "runNow", null, null);
                await().atMost(Duration.ofSeconds(20)).until(() -> rt.lands(3, 33));
                await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCEEDED".equals(mbs.getAttribute(service, "LastCycleStatus")));

                String replay = (String) mbs.invoke(service, "replayExceptions", new Object[]{"class=UNKNOWN_ITEM"},
                        new String[]{String.class.getName()});
                assertTrue(replay.contains("\"parked\":1"), "still unknown to the ERP, so parked again: " + replay);
                assertEquals(2, rt.exceptions("OPEN").get(0).attempts(), "one more attempt on the row");
            }
        }
    }
}
