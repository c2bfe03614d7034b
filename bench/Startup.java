import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.sandbox.SandboxErp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The start-up bench (bench/README.md, "Start-up"): an embedded PostgreSQL (WMS and store) and the
 * sandbox ERP, then `--runs` one-shot cycles of the command given (default `bin/erp-sync`) in the
 * `prod` profile, each on `--rows` freshly changed WMS rows. For each run: from the process's start to
 * the first request the ERP received, and from the ERP's answer to the last request to the process's
 * exit. The first run meets an empty store (Flyway creates it); the others a current one.
 *
 *   bench/startup.sh [--runs 5] [--rows 200] [--command "bin/erp-sync;java -jar target/erp-sync.jar"] [--jvm "-XX:..."]
 * Commands separated by ';' take turns, run by bash from the repository's root.
 */
public class Startup {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path WORK = ROOT.resolve("bench/work");
    static final String QUERY = "SELECT item_number, organization_code, category, quantity, updated_at FROM stock_level "
            + "WHERE updated_at > :?since ORDER BY updated_at";
    static final List<String> CATEGORIES = List.of("FASTENERS", "ELECTRICAL", "HYDRAULICS", "PACKAGING", "TOOLS");

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int rows = 200;
        String command = "bin/erp-sync";
        String jvm = "";
        List<String> a = Arrays.asList(args);
        for (int i = 0; i + 1 < a.size(); i += 2) {
            switch (a.get(i)) {
                case "--runs" -> runs = Integer.parseInt(a.get(i + 1));
                case "--rows" -> rows = Integer.parseInt(a.get(i + 1));
                case "--command" -> command = a.get(i + 1);
                case "--jvm" -> jvm = a.get(i + 1);
                default -> throw new IllegalArgumentException("unknown option " + a.get(i));
            }
        }
        Files.createDirectories(WORK);
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            String wms = database(pg, "wms_startup");
            String store = database(pg, "store_startup");
            SandboxErp.Config c = new SandboxErp.Config();
            c.items = Math.max(1000, rows);
            c.knobs.latencyMs = 20;
            try (SandboxErp erp = new SandboxErp(c).start()) {
                warmUp(erp.baseUrl());
                createWms(wms);
                if (runs == 0) {
                    // --runs 0: keep the databases and the ERP up for runs by hand, with these settings
                    touch(wms, rows, 1);
                    System.out.printf("export CAMEL_MAIN_PROFILE=prod ERP_BASE_URL=%s ERP_USERNAME=integration.user ERP_PASSWORD=sandbox "
                            + "WMS_DATASOURCE_URL='%s' WMS_QUERY='%s' STORE_DATASOURCE_URL='%s'%n", erp.baseUrl(), wms, QUERY, store);
                    Thread.sleep(Long.MAX_VALUE);
                }
                List<String> commands = Arrays.asList(command.split(";"));
                System.out.println("commands: " + commands + (jvm.isBlank() ? "" : " (JAVA_TOOL_OPTIONS: " + jvm + ")")
                        + "; runs alternate between them");
                System.out.println("| run | command | store | first request s | CPU s until then | last request to exit s | wall s | CPU s | requests | exit | load |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
                for (int run = 1; run <= runs * commands.size(); run++) {
                    String one = commands.get((run - 1) % commands.size()).trim();
                    touch(wms, rows, run);
                    HTTP.send(HttpRequest.newBuilder(URI.create(erp.baseUrl() + "/sandbox/requests")).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
                    // through bash, so that a command may change folder first (cd ../before && java -jar ...)
                    List<String> cmd = List.of("bash", "-c", one + " --once");
                    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
                            .redirectError(WORK.resolve("startup-" + run + ".log").toFile())
                            .redirectOutput(WORK.resolve("startup-" + run + ".out").toFile());
                    var env = pb.environment();
                    env.put("CAMEL_MAIN_PROFILE", "prod");
                    env.put("ERP_BASE_URL", erp.baseUrl());
                    env.put("ERP_USERNAME", "integration.user");
                    env.put("ERP_PASSWORD", "sandbox");
                    env.put("WMS_DATASOURCE_URL", wms);
                    env.put("WMS_QUERY", QUERY);
                    env.put("STORE_DATASOURCE_URL", store);
                    if (!jvm.isBlank()) {
                        env.put("JAVA_TOOL_OPTIONS", jvm);
                    }
                    Instant started = Instant.now();
                    Process p = pb.start();
                    double cpu = 0;
                    List<Instant> at = new java.util.ArrayList<>();
                    List<Double> cpuAt = new java.util.ArrayList<>();
                    while (p.isAlive()) {
                        cpu = Math.max(cpu, cpuSeconds(p.toHandle()));
                        at.add(Instant.now());
                        cpuAt.add(cpu);
                        Thread.sleep(10);
                    }
                    int exit = p.waitFor();
                    Instant ended = Instant.now();
                    JsonNode r = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(erp.baseUrl() + "/sandbox/requests")).GET().build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    double first = r.path("first").isNull() ? Double.NaN
                            : Duration.between(started, Instant.parse(r.path("first").asText())).toMillis() / 1000.0;
                    double tail = r.path("last").isNull() ? Double.NaN
                            : Duration.between(Instant.parse(r.path("last").asText()), ended).toMillis() / 1000.0;
                    // CPU seconds the process had used when the ERP received its first request (the last sample before it)
                    double cpuFirst = Double.NaN;
                    if (!r.path("first").isNull()) {
                        Instant firstAt = Instant.parse(r.path("first").asText());
                        for (int i = 0; i < at.size() && !at.get(i).isAfter(firstAt); i++) {
                            cpuFirst = cpuAt.get(i);
                        }
                    }
                    String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                    System.out.printf("| %d | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d | %s |%n", run, one, run == 1 ? "empty" : "current",
                            first, cpuFirst, tail, Duration.between(started, ended).toMillis() / 1000.0, cpu, r.path("count").asLong(), exit, load);
                }
            }
        }
    }

    /** User and system CPU seconds of a process and its children so far (the launcher's java is its child), from /proc. */
    static double cpuSeconds(ProcessHandle h) {
        double cpu = 0;
        try {
            String[] stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat")).split("\\) ")[1].split(" ");
            cpu = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / 100.0;
        } catch (Exception gone) {
            return 0;
        }
        return cpu + h.children().mapToDouble(Startup::cpuSeconds).sum();
    }

    static String database(EmbeddedPostgres pg, String name) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name + "?user=postgres&password=postgres";
    }

    static void createWms(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE stock_level (item_number VARCHAR(40) NOT NULL, organization_code VARCHAR(10) NOT NULL, "
                    + "category VARCHAR(40), quantity NUMERIC(18, 4), updated_at TIMESTAMP NOT NULL)");
        }
    }

    /** `rows` rows changed now (new quantities each run), naming sandbox items 1..rows as the sandbox seeds them. */
    static void touch(String url, int rows, int run) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM stock_level");
            }
            Instant now = Instant.now().minusSeconds(5);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO stock_level (item_number, organization_code, category, quantity, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                for (int n = 1; n <= rows; n++) {
                    ps.setString(1, String.format("ITM-%05d", n));
                    ps.setString(2, n % 2 == 1 ? "M1" : "M2");
                    ps.setString(3, CATEGORIES.get(n % 5));
                    ps.setLong(4, 1000L * run + n);
                    ps.setTimestamp(5, Timestamp.from(now.plusMillis(n)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    /** Some reads so that the sandbox's own JIT has settled: a real ERP is warm when a cycle comes. */
    static void warmUp(String url) throws Exception {
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("integration.user:sandbox".getBytes());
        for (int i = 0; i < 50; i++) {
            HTTP.send(HttpRequest.newBuilder(URI.create(url + "/fscmRestApi/resources/11.13.18.05/items?limit=100&q="
                    + java.net.URLEncoder.encode("ItemNumber in ('ITM-00001','ITM-00002')", "UTF-8").replace("+", "%20")))
                    .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    static {
        new File("bench/work").mkdirs();
    }
}
