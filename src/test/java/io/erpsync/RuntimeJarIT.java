package io.erpsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar, run the way the README says, from a folder holding routes/ and application.properties beside it. */
class RuntimeJarIT {
    record Run(int exit, String stdout, String stderr) {
    }

    static Path install(Path dir) throws Exception {
        return JarProcess.install(dir);
    }

    static Run run(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-Dsandbox.port=0", "-Dcamel.management.port=0"));
        all.addAll(List.of(args));
        JarProcess p = JarProcess.start(dir, env, Map.of(), all.toArray(String[]::new));
        int exit = p.waitFor(java.time.Duration.ofSeconds(120));
        return new Run(exit, p.stdout(), p.stderr());
    }

    @Test
    void once_on_the_dev_profile_syncs_the_sample_warehouse_and_prints_the_summary(@TempDir Path dir) throws Exception {
        Run r = run(install(dir), Map.of(), "--once");

        assertEquals(0, r.exit(), r.stderr());
        JsonNode summary = new ObjectMapper().readTree(r.stdout().trim());
        assertEquals("SUCCEEDED", summary.path("status").asText());
        assertEquals(500, summary.path("read").asInt());
        assertEquals(375, summary.path("updated").asInt(), "three quarters of the sample rows differ from the ERP");
        assertEquals(125, summary.path("unchanged").asInt());
        for (String field : List.of("read", "changed", "unchanged", "updated", "conflicts", "retried", "parked", "requests", "duration")) {
            assertTrue(summary.has(field), field);
        }
        assertTrue(Files.isDirectory(dir.resolve("data")), "the dev profile keeps its H2 files under ./data");
    }

    @Test
    void a_once_starts_no_management_server_schedule_or_metrics_not_even_beside_a_service_holding_its_port(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket service = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Run r = run(install(dir), Map.of(), "-Dcamel.management.port=" + service.getLocalPort(), "--once");

            assertEquals(0, r.exit(), r.stderr());
            assertEquals("SUCCEEDED", new ObjectMapper().readTree(r.stdout().trim()).path("status").asText());
            for (String started : List.of("Vert.x HttpServer", "Status page on", "Jolokia at", "Quartz", "MeterBinders")) {
                assertFalse(r.stderr().contains(started), "a one-shot run started what it does not use: " + started);
            }
        }
    }

    @Test
    void a_once_without_bills_of_materials_makes_no_bom_route_and_one_with_them_runs_their_cycle(@TempDir Path dir) throws Exception {
        Path home = install(dir);
        Run without = run(home, Map.of("BOM_ENABLED", "false"), "--once");
        Run with = run(home, Map.of(), "--once");

        assertEquals(0, without.exit(), without.stderr());
        assertEquals("SUCCEEDED", new ObjectMapper().readTree(without.stdout().trim()).path("status").asText());
        assertTrue(without.stderr().contains("Started sync-cycle"), without.stderr());
        assertFalse(without.stderr().contains("Started bom-"), "a --once with bom.enabled=false made a BOM route");
        assertFalse(new ObjectMapper().readTree(without.stdout().trim()).has("bom"), without.stdout());
        assertEquals(0, with.exit(), with.stderr());
        for (String route : List.of("bom-cycle", "bom-apply", "bom-retry-rounds", "bom-change-again", "bom-lane-0")) {
            assertTrue(with.stderr().contains("Started " + route + " "), "the dev profile's --once (bom.enabled=true) lacks " + route);
        }
        assertTrue(new ObjectMapper().readTree(with.stdout().trim()).has("bom"), with.stdout());
    }

    @Test
    void the_lock_pattern_report_reads_the_store_as_text_and_json(@TempDir Path dir) throws Exception {
        install(dir);
        assertEquals(0, run(dir, Map.of(), "--once").exit());

        Run json = run(dir, Map.of(), "--report", "--since", "1d", "--json");
        Run text = run(dir, Map.of(), "--report");

        assertEquals(0, json.exit(), json.stderr());
        JsonNode report = new ObjectMapper().readTree(json.stdout().trim());
        assertEquals(1, report.path("cycles").size(), "the one cycle run above");
        assertEquals(500, report.path("cycles").get(0).path("read").asInt());
        assertEquals(0, text.exit(), text.stderr());
        assertTrue(text.stdout().startsWith("Lock-pattern report since "), text.stdout());
    }

    @Test
    void environment_variables_override_settings_and_secrets_stay_out_of_the_logs(@TempDir Path dir) throws Exception {
        String secret = "S3cret-" + System.nanoTime();
        Run r = run(install(dir), Map.of("SANDBOX_ITEMS", "40", "ERP_PASSWORD", secret), "--once");

        assertEquals(0, r.exit(), r.stderr());
        assertEquals(40, new ObjectMapper().readTree(r.stdout().trim()).path("read").asInt(), "SANDBOX_ITEMS=40 reached the sandbox");
        assertFalse(r.stdout().contains(secret) || r.stderr().contains(secret), "the password appears in the output");
    }

    @Test
    void prod_without_settings_stops_with_one_message_naming_every_missing_setting(@TempDir Path dir) throws Exception {
        Run r = run(install(dir), Map.of("CAMEL_MAIN_PROFILE", "prod"), "--once");

        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("erp-sync cannot start in profile 'prod': missing required settings: erp.base-url [env ERP_BASE_URL], "
                + "wms.datasource.url [env WMS_DATASOURCE_URL], wms.query [env WMS_QUERY], store.datasource.url [env STORE_DATASOURCE_URL], "
                + "erp.username (or erp.token) [env ERP_USERNAME], erp.password (or erp.password-file, or erp.token) [env ERP_PASSWORD]"), r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
    }

    @Test
    void cluster_mode_on_an_h2_store_is_refused_with_one_message_saying_it_needs_postgresql(@TempDir Path dir) throws Exception {
        Run r = run(install(dir), Map.of("CLUSTER_ENABLED", "true"), "--once");

        assertEquals(1, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("cluster.enabled=true needs the store on PostgreSQL"), r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
    }

    @Test
    void the_sandbox_runs_alone_from_the_jar(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder(JarProcess.javaBin(), "-jar", JarProcess.JAR.toString(), "--sandbox", "--port", "0", "--items", "100")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("sandbox ERP listening on http://"), String.valueOf(line));
            String base = line.substring("sandbox ERP listening on ".length(), line.indexOf(" with "));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/fscmRestApi/resources/11.13.18.05/items?limit=500")).header("Authorization", "Basic "
                    + java.util.Base64.getEncoder().encodeToString("integration.user:sandbox".getBytes())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(100, new ObjectMapper().readTree(r.body()).path("count").asInt());
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
