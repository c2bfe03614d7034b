package io.erpsync.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.SyncAttempts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status page in headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs): it shows a planted exception, and that row's replay button resolves it. Skipped, with
 * a message saying so, where no browser is installed.
 */
class StatusPageBrowserTest {
    static final File CHROMIUM = new File(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    static final File CHROMEDRIVER = new File(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

    @BeforeEach
    void browserInstalled() {
        boolean present = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
        if (!present) {
            System.err.println("SKIPPED StatusPageBrowserTest: no headless browser (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "); install Debian's chromium and chromium-driver, as .ci/run does");
        }
        Assumptions.assumeTrue(present, "SKIPPED: no headless browser at " + CHROMIUM + " and " + CHROMEDRIVER
                + "; install Debian's chromium and chromium-driver, as .ci/run does");
    }

    static WebDriver chromium(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    /** Opens the page as the signed-in operator: the browser sends their Basic credentials on every request, as after a login prompt. */
    static void openSignedIn(WebDriver browser, TestRuntime rt, String path) {
        ((ChromeDriver) browser).executeCdpCommand("Network.enable", Map.of());
        ((ChromeDriver) browser).executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("Authorization", StatusPageTest.basic(StatusPageTest.USER, StatusPageTest.PASSWORD))));
        browser.get(rt.managementUrl(path));
    }

    @Test
    void the_page_shows_the_planted_exception_and_its_replay_button_resolves_it(@TempDir Path dir) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        try (SandboxErp erp = TestRuntime.sandbox(50);
             TestRuntime rt = StatusPageTest.withManagementAuth(new TestRuntime(erp).managed().set("sync.retry.lock-delays", "20ms"), dir)
                     .start()) {
            ExceptionRow planted = StatusPageTest.parkLockedItem(rt, erp);
            WebDriver browser = chromium(profile);
            try {
                openSignedIn(browser, rt, "/status");

                By row = By.cssSelector("#exceptions tbody tr[data-id='" + planted.id() + "']");
                await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(row).isEmpty());
                List<String> cells = browser.findElement(row).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
                assertEquals("ITM-00011", cells.get(1));
                assertEquals("RECORD_LOCKED", cells.get(3));
                assertEquals("FUSION_BATCH", cells.get(5));
                assertTrue(cells.get(4).contains("FUSION_BATCH"), "the reason names the lock owner: " + cells);
                assertEquals("PARKED", browser.findElement(By.id("last-status")).getText().replace("COMPLETED_WITH_", ""));
                assertEquals(1, browser.findElements(By.cssSelector("#cycles-chart g[data-run]")).size(), "one bar for the one cycle");
                ZonedDateTime lockMet = rt.bean("syncAttempts", SyncAttempts.class).ofRun(rt.runs().get(0).runId())
                        .get(0).at().atZone(ZoneOffset.UTC);
                WebElement cell = browser.findElement(By.cssSelector("#heatmap td[data-day='"
                        + lockMet.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + "'][data-hour='" + lockMet.getHour() + "']"));
                assertFalse(cell.getText().isBlank(), "the heat map counts the locks in their hour and weekday (UTC)");
                assertTrue(browser.findElement(By.id("replay-note")).getText().contains(StatusPageTest.USER));

                browser.findElement(row).findElement(By.cssSelector("button.replay")).click();

                await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("replay-result")).getText().contains("updated"));
                String result = browser.findElement(By.id("replay-result")).getText();
                assertTrue(result.contains("1 updated"), result);
                await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(row).isEmpty());
                assertEquals("RESOLVED", rt.exceptions(null).get(0).status());
                assertTrue(rt.lands(StatusPageTest.LOCKED, 333), "the replay sent the newest WMS quantity");
                assertTrue(browser.findElement(By.id("exceptions-empty")).isDisplayed(), "the page says no open exception is left");
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void without_management_auth_the_page_shows_the_exception_with_its_replay_buttons_disabled_and_why(@TempDir Path dir) throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(50);
             TestRuntime rt = new TestRuntime(erp).managed().set("sync.retry.lock-delays", "20ms").start()) {
            ExceptionRow planted = StatusPageTest.parkLockedItem(rt, erp);
            WebDriver browser = chromium(Files.createDirectories(dir.resolve("chromium-profile")));
            try {
                browser.get(rt.managementUrl("/status/"));

                By button = By.cssSelector("#exceptions tbody tr[data-id='" + planted.id() + "'] button.replay");
                await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(button).isEmpty());
                assertFalse(browser.findElement(button).isEnabled());
                assertFalse(browser.findElement(By.id("replay-filter")).isEnabled());
                assertTrue(browser.findElement(By.id("replay-note")).getText().contains("camel.management.authentication-enabled"));
                assertEquals("OPEN", rt.exceptions(null).get(0).status());
            } finally {
                browser.quit();
            }
        }
    }
}
