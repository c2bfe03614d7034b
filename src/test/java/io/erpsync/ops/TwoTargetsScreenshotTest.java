package io.erpsync.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import io.erpsync.sync.CycleRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The README's second screenshot: the demo's two targets (targets = erp,storefront) side by side on the
 * status page, each with its own last cycle, breaker and open exceptions. The ERP meets a planner's lock,
 * the storefront an import job holding records busy: each parks its own items, and the page shows
 * both sections with their own figures. Writes status-page.targets-screenshot (target/status-page-targets.png;
 * the README's refresh command points it at docs/status-page-targets.png).
 */
class TwoTargetsScreenshotTest {
    static final Path SHOT = Path.of(System.getProperty("status-page.targets-screenshot", "target/status-page-targets.png"));
    static final int ITEMS = 200;

    @BeforeEach
    void browserInstalled() {
        new StatusPageBrowserTest().browserInstalled();
    }

    static String list(int n) {
        return n % 2 == 1 ? "inventory_m1" : "inventory_m2";
    }

    @Test
    void the_status_page_shows_each_target_with_its_own_cycles_breaker_and_parked_items(@TempDir Path dir) throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(ITEMS);
             SandboxStorefront sf = new SandboxStorefront(new SandboxStorefront.Config()).start()) {
            for (int n = 1; n <= ITEMS; n++) {
                sf.addRecord(list(n), SandboxItems.itemNumber(n), 0);
            }
            try (TestRuntime rt = StatusPageTest.withManagementAuth(new TestRuntime(erp).managed(), dir)
                    .set("targets", "erp,storefront").set("storefront.base-url", sf.baseUrl())
                    .set("storefront.client-id", "erp-sync").set("storefront.client-secret", "sandbox")
                    .set("storefront.inventory-lists", "M1:inventory_m1, M2:inventory_m2")
                    .set("sync.retry.initial-delay", "10ms").set("sync.retry.lock-delays", "20ms,20ms")
                    .start()) {
                for (int n = 1; n <= ITEMS; n++) {
                    rt.wmsItem(n, 100 + n);
                }
                Map<String, CycleSummary> first = CycleRunner.runCycles(rt.context(), "TEST");

                // the second cycle: item 7 locked on the ERP by a planner, records 10 and 20 busy on the storefront
                erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(5),
                        erp.itemIds(List.of(SandboxItems.itemNumber(7)), "M1"));
                sf.holdRecord(list(10), SandboxItems.itemNumber(10), "InventoryImportJob");
                sf.holdRecord(list(20), SandboxItems.itemNumber(20), "InventoryImportJob");
                for (int n = 1; n <= 40; n++) {
                    rt.wmsItem(n, 500 + n);
                }
                Map<String, CycleSummary> second = CycleRunner.runCycles(rt.context(), "TEST");
                assertEquals(ITEMS, first.get("erp").updated(), first.toString());
                assertEquals(ITEMS, first.get("storefront").updated(), first.toString());
                assertEquals(1, second.get("erp").parked(), second.toString());
                assertEquals(2, second.get("storefront").parked(), second.toString());

                WebDriver browser = StatusPageBrowserTest.chromium(Files.createDirectories(dir.resolve("chromium-profile")));
                try {
                    browser.manage().window().setSize(new Dimension(1280, 1400));
                    StatusPageBrowserTest.openSignedIn(browser, rt, "/status/");
                    await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(By.cssSelector("#targets .tile.target")).size() == 2);

                    WebElement erpTile = browser.findElement(By.cssSelector("#targets .tile.target[data-target='erp']"));
                    WebElement sfTile = browser.findElement(By.cssSelector("#targets .tile.target[data-target='storefront']"));
                    assertTrue(erpTile.getText().contains("COMPLETED_WITH_PARKED"), erpTile.getText());
                    assertTrue(erpTile.getText().contains("1 parked"), erpTile.getText());
                    assertTrue(sfTile.getText().contains("2 parked"), sfTile.getText());
                    assertTrue(sfTile.getText().contains("2 open exceptions"), sfTile.getText());
                    assertEquals(2, erpTile.findElements(By.cssSelector(".strip .cell")).size(), "a cell per ERP cycle");
                    assertEquals(2, sfTile.findElements(By.cssSelector(".strip .cell")).size(), "a cell per storefront cycle");
                    assertEquals(2, browser.findElements(By.cssSelector("#filter-target option")).size(), "the exception filter offers both targets");
                    assertTrue(browser.findElement(By.id("detail-caption")).getText().startsWith("Below, erp in detail"),
                            "the detail below the targets says whose it is");
                    assertEquals("Last cycles: erp", browser.findElement(By.id("cycles-title")).getText());
                    Files.createDirectories(SHOT.toAbsolutePath().getParent());
                    Files.write(SHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                    assertTrue(Files.size(SHOT) > 10_000, "a screenshot of the page: " + SHOT);
                } finally {
                    browser.quit();
                }
            }
        }
    }
}
