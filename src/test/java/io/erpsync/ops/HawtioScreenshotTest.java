package io.erpsync.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.sandbox.SandboxErp;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The README's Hawtio screenshot (Managing it from Hawtio): Hawtio 4 (io.hawt:hawtio-war on Jetty 12,
 * both from Maven) in headless Chromium, connected through its proxy to erp-sync's Jolokia. An
 * operator stops and starts a route with Hawtio's own buttons; for a viewer Hawtio disables them,
 * told so by erp-sync's permission check. The screenshot goes to hawtio.screenshot
 * (target/hawtio-routes.png; the README's refresh command points it at docs/hawtio-routes.png).
 */
class HawtioScreenshotTest {
    static final Path SHOT = Path.of(System.getProperty("hawtio.screenshot", "target/hawtio-routes.png"));
    static final String ROUTE = "erp-push";

    @BeforeEach
    void browserInstalled() {
        new StatusPageBrowserTest().browserInstalled();
    }

    @Test
    void an_operator_stops_and_starts_a_route_with_hawtios_buttons_and_a_viewer_finds_them_disabled(@TempDir Path dir) throws Exception {
        int hawtioPort = freePort();
        Path users = Files.writeString(dir.resolve("management-users.properties"),
                "user.olga = olga-secret,operator\nuser.victor = victor-secret,viewer\nrole.operator = *\nrole.viewer = read\n");
        Process jetty = null;
        WebDriver browser = null;
        try (SandboxErp erp = TestRuntime.sandbox(20);
             TestRuntime rt = new TestRuntime(erp).set("camel.main.jmx-enabled", "true").managed()
                     .set("camel.management.authentication-enabled", "true")
                     .set("camel.management.basic-properties-file", users.toString())
                     .set("camel.management.authentication-path", "/status/*")
                     .set("management.jolokia.allowed-origins", "http://127.0.0.1:" + hawtioPort).start()) {
            rt.wmsItem(1, 10);
            rt.runCycle();
            jetty = hawtio(dir, hawtioPort);
            WebDriver page = StatusPageBrowserTest.chromium(dir.resolve("chromium"));
            browser = page;
            page.manage().window().setSize(new Dimension(1400, 1000));
            boolean viewerMayStop;
            try {
                int managementPort = URI.create(rt.managementUrl("/")).getPort();

                openRoutes(page, hawtioPort, managementPort, "victor", "victor-secret");
                select(page, ROUTE);
                WebElement viewersStop = button(page, "Stop");
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> !viewersStop.isEnabled());
                viewerMayStop = viewersStop.isEnabled();
                // the diagram is drawn from dumpRoutesAsXml() and dumpRoutesStatsAsXml(true,true), which a viewer may call
                page.findElement(By.xpath("//a[normalize-space()='Route Diagram']")).click();
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> page.findElements(By.cssSelector(".react-flow__node")).size() > 10);

                openRoutes(page, hawtioPort, managementPort, "olga", "olga-secret");
                select(page, ROUTE);
                await().atMost(Duration.ofSeconds(20)).until(() -> button(page, "Stop").isEnabled());
                Files.createDirectories(SHOT.toAbsolutePath().getParent());
                ((JavascriptExecutor) page).executeScript("arguments[0].scrollIntoView({block: 'center'})", button(page, "Stop"));
                Files.copy(((TakesScreenshot) page).getScreenshotAs(OutputType.FILE).toPath(), SHOT, StandardCopyOption.REPLACE_EXISTING);
                button(page, "Stop").click();
                await().atMost(Duration.ofSeconds(20)).until(() -> status(rt) == ServiceStatus.Stopped);
                await().atMost(Duration.ofSeconds(20)).until(() -> button(page, "Start").isEnabled());
                button(page, "Start").click();
                await().atMost(Duration.ofSeconds(20)).until(() -> status(rt) == ServiceStatus.Started);
            } catch (Throwable t) {
                Files.writeString(Path.of("target", "hawtio-failure.html"), page.getPageSource());
                throw t;
            }
            assertFalse(viewerMayStop, "Hawtio disabled Stop for the viewer");
            assertTrue(Files.size(SHOT) > 10_000, "a screenshot of the routes table was written to " + SHOT);
            assertEquals(ServiceStatus.Started, status(rt));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            if (jetty != null) {
                jetty.destroy();
                jetty.waitFor();
            }
        }
    }

    /** Hawtio's Camel routes table for a stored connection to erp-sync's Jolokia, signed in as this user. */
    private static void openRoutes(WebDriver browser, int hawtioPort, int managementPort, String user, String password) {
        browser.get("http://127.0.0.1:" + hawtioPort + "/hawtio/");
        // the connection Hawtio's Add connection form would store: HTTP, 127.0.0.1, the management port, /observe/jolokia
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear(); localStorage.setItem('connect.connections', JSON.stringify("
                + "{erp: {id: 'erp', name: 'erp-sync', scheme: 'http', host: '127.0.0.1', port: arguments[0], path: '/observe/jolokia',"
                + " username: arguments[1], password: arguments[2]}}));", managementPort, user, password);
        browser.get("http://127.0.0.1:" + hawtioPort + "/hawtio/camel/routes?con=erp");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> browser.findElement(By.xpath("//*[normalize-space(text())='routes']")).isDisplayed());
        browser.findElement(By.xpath("//*[normalize-space(text())='routes']")).click();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> browser.findElement(By.id("camel-routes-table")).getText().contains(ROUTE));
    }

    private static void select(WebDriver browser, String route) {
        browser.findElement(By.xpath("//table[@id='camel-routes-table']//tr[td[normalize-space()='" + route + "']]//input[@type='checkbox']"))
                .click();
    }

    private static WebElement button(WebDriver browser, String label) {
        return browser.findElement(By.xpath("//button[normalize-space()='" + label + "']"));
    }

    private static ServiceStatus status(TestRuntime rt) {
        return rt.context().getRouteController().getRouteStatus(ROUTE);
    }

    /** Jetty 12 from its jetty-home zip, with hawtio.war deployed, in its own JVM; answers once Hawtio does. */
    private static Process hawtio(Path dir, int port) throws Exception {
        Path home = unzip(Path.of(System.getProperty("jetty.home.zip")), Path.of("target", "hawtio"));
        Path base = Files.createDirectories(dir.resolve("jetty-base"));
        Files.createDirectories(base.resolve("webapps"));
        // what Jetty's --add-modules=http,ee10-deploy writes (properties given on the command line are read only from start.d)
        Files.writeString(Files.createDirectories(base.resolve("start.d")).resolve("hawtio.ini"), "--module=http\n--module=ee10-deploy\n");
        Files.copy(Path.of(System.getProperty("hawtio.war")), base.resolve("webapps/hawtio.war"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dhawtio.authenticationEnabled=false", "-jar", home.resolve("start.jar").toString(),
                "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("jetty.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/hawtio/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (RuntimeException e) {
            p.destroy();
            p.waitFor();
            throw new IllegalStateException("Jetty with Hawtio did not answer on port " + port + ": " + Files.readString(dir.resolve("jetty.log")), e);
        }
        return p;
    }

    /** The zip's single top folder (jetty-home-12.0.16), unzipped once under {@code into}. */
    private static Path unzip(Path zip, Path into) throws IOException {
        String top;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            top = in.getNextEntry().getName().split("/")[0];
        }
        Path home = into.resolve(top);
        if (Files.exists(home.resolve("start.jar"))) {
            return home;
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path out = into.resolve(e.getName()).normalize();
                if (!out.startsWith(into.normalize())) {
                    throw new IOException("zip entry outside its folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return home;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
