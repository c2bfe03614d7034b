package io.erpsync.bom;

import static io.erpsync.bom.MerchantOnBundles.bundle;
import static io.erpsync.bom.MerchantOnBundles.quantity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.SandboxItems;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import io.erpsync.store.ExceptionRow;
import io.erpsync.sync.CycleRunner;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Bundles follow the bills of materials (storefront.bundles): the real runtime against the ERP
 * sandbox and the storefront sandbox over HTTP. 200 changes over 20 bundles, a merchant having edited
 * 10 % of the bundled quantities: none of the merchant's values is overwritten (those changes are
 * parked), every other change lands on the ERP and on the bundle, and our own writes never collide
 * on a parent (one request of ours in flight per parent, counted by the sandbox).
 */
class BundlesFollowBillsTest extends SandboxTest {
    SandboxStorefront sf;
    long nextChange = 1;
    Instant requested = Instant.parse("2026-05-01T08:00:00Z");
    List<Long> bills;

    @BeforeEach
    void storefront() throws Exception {
        sf = new SandboxStorefront(new SandboxStorefront.Config()).start();
        // a write holds its parent a while on the server: two of ours at once would collide
        sf.writeMillis(5);
        bills = erp.billIds();
        MerchantOnBundles.settings(rt, sf, MerchantOnBundles.bundles(erp, sf, bills));
        rt.set("sync.retry.lock-delays", "50ms,100ms").set("sync.retry.initial-delay", "50ms");
        MerchantOnBundles.inbox(rt);
    }

    @AfterEach
    void closeStorefront() {
        sf.close();
    }

    /** The bill's item number as the sandbox seeds it (its n-th bill, the n-th item). */
    String billItem(long bill) {
        return SandboxItems.itemNumber(bills.indexOf(bill) + 1);
    }

    String item(long bill, long comp) {
        return String.valueOf(erp.component(bill, comp).get("ComponentItemNumber"));
    }

    void request(long bill, long comp, long oldQty, long newQty) throws Exception {
        requested = requested.plusSeconds(1);
        BomInbox.quantityChange(rt.wmsUrl, nextChange++, bill, comp, null, oldQty, newQty, requested);
    }

    @Test
    void two_hundred_changes_over_twenty_bundles_land_except_the_merchants_and_never_collide_on_a_parent() throws Exception {
        rt.start();
        assertEquals(20, bills.size());
        // two chained changes per component (each one's old value the previous one's new): 10 per bundle, 200 in all
        Map<String, Long> wanted = new HashMap<>();
        Set<String> merchants = new java.util.HashSet<>();
        int n = 0;
        for (int round = 0; round < 2; round++) {
            for (long bill : bills) {
                for (long comp : erp.componentIds(bill)) {
                    long start = quantity(erp.component(bill, comp).get("Quantity"));
                    long old = round == 0 ? start : start + 10;
                    request(bill, comp, old, start + 10 * (round + 1));
                    wanted.put(bill + "/" + comp, start + 20);
                    n++;
                }
            }
        }
        assertEquals(200, n);
        // a merchant set 10 % of the bundled quantities (10 of 100 products, one in each of 10 bundles)
        for (int i = 0; i < 10; i++) {
            long bill = bills.get(i * 2);
            long comp = erp.componentIds(bill).get(i % 5);
            sf.editBundledProduct(bundle(bill), item(bill, comp), 500 + i);
            merchants.add(bill + "/" + comp);
        }

        CycleSummary s = CycleRunner.runBomCycle(rt.context());

        assertEquals(CycleSummary.PARKED, s.status(), s.toString());
        for (long bill : bills) {
            for (long comp : erp.componentIds(bill)) {
                String key = bill + "/" + comp;
                long onBundle = sf.bundledQuantity(bundle(bill), item(bill, comp));
                if (merchants.contains(key)) {
                    int i = bills.indexOf(bill) / 2;
                    assertEquals(500 + i, onBundle, "the merchant's value stands on " + key);
                } else {
                    assertEquals(wanted.get(key), onBundle, "bundle has the change of " + key);
                    assertEquals(wanted.get(key), quantity(erp.component(bill, comp).get("Quantity")), "the ERP has the change of " + key);
                }
            }
        }
        List<ExceptionRow> open = rt.exceptions("OPEN");
        Map<String, Long> byClass = open.stream().collect(Collectors.groupingBy(ExceptionRow::failureClass, Collectors.counting()));
        // the merchant's ten: the first change of each parked CONFLICT, its next one waits for it
        assertEquals(Map.of("CONFLICT", 10L, "WAITING_FOR_CHANGE", 10L), byClass, open.toString());
        List<String> parkedKeys = new ArrayList<>();
        for (ExceptionRow r : open) {
            parkedKeys.add(r.billId() + "/" + r.componentId());
            if (r.failureClass().equals("CONFLICT")) {
                assertTrue(r.reason().contains("Storefront bundle " + bundle(r.billId())) && r.reason().contains("theirs 50"), r.reason());
            }
        }
        assertTrue(merchants.containsAll(parkedKeys), "only the merchant's products parked: " + parkedKeys);
        assertEquals(180, s.updated(), s.toString());
        assertEquals(0, sf.log().collisions(), "no ConcurrentModificationException caused by our own writes");
        assertEquals(1, sf.maxRequestsInFlightPerParent(), "never two of our requests in flight for one parent");
        assertEquals(0, sf.log().foreignFields(), "the quantity only");
        assertEquals(0, sf.log().writesWithoutState(), "every write with its state");
    }

    @Test
    void forty_changes_over_four_bundles_with_a_merchant_editing_during_the_run_overwrite_none_of_theirs_and_never_collide()
            throws Exception {
        rt.start();

        MerchantOnBundles.Figures f = MerchantOnBundles.run(rt, erp, sf, bills.subList(0, 4), 40, 7, 40);

        assertEquals(2, f.merchantEdits(), "10 % of the 20 bundled products");
        assertEquals(0, f.withoutOutcome(), "every change applied, already applied or parked: " + f);
        assertTrue(Set.of("CONFLICT", "WAITING_FOR_CHANGE").containsAll(f.parked().keySet()), "only the merchant's value holds changes back: "
                + f);
        assertEquals(0, f.overwritten(), "none of the merchant's values overwritten: " + f);
        assertEquals(0, f.collisions(), "no ConcurrentModificationException caused by our own writes: " + f);
        assertEquals(0, f.overlaps(), "never two of our requests in flight for one parent: " + f);
        assertEquals(0, f.outOfOrder(), "each bundled quantity written in request order: " + f);
    }

    @Test
    void two_bills_of_one_bundle_in_two_lanes_still_have_one_request_in_flight_on_their_parent() throws Exception {
        long a = bills.get(2);
        long b = bills.get(3);
        assertTrue(Math.floorMod(Long.hashCode(a), 4) != Math.floorMod(Long.hashCode(b), 4), "two lanes");
        for (long bill : List.of(a, b)) {
            for (long comp : erp.componentIds(bill)) {
                sf.addBundledProduct("shared", item(bill, comp), quantity(erp.component(bill, comp).get("Quantity")));
            }
        }
        rt.set("storefront.bundles", a + ":shared, " + b + ":shared");
        rt.start();
        Map<String, Long> wanted = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            for (long bill : List.of(a, b)) {
                for (long comp : erp.componentIds(bill)) {
                    long start = quantity(erp.component(bill, comp).get("Quantity"));
                    request(bill, comp, round == 0 ? start : start + 10, start + 10 * (round + 1));
                    wanted.put(item(bill, comp), start + 20);
                }
            }
        }

        CycleSummary s = CycleRunner.runBomCycle(rt.context());

        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertEquals(20, s.updated());
        wanted.forEach((product, q) -> assertEquals(q, sf.bundledQuantity("shared", product), product));
        assertEquals(0, sf.log().collisions(), "no ConcurrentModificationException caused by our own writes");
        assertEquals(1, sf.maxRequestsInFlightPerParent(), "the parent's lock, across bills and lanes");
    }

    @Test
    void a_parent_busy_with_a_job_waits_the_lock_rounds_and_is_parked_with_the_holder() throws Exception {
        rt.start();
        long bill = bills.get(0);
        long comp = erp.componentIds(bill).get(0);
        long start = quantity(erp.component(bill, comp).get("Quantity"));
        sf.holdProduct(bundle(bill), "ProductImportJob");
        request(bill, comp, start, start + 3);

        CycleSummary s = CycleRunner.runBomCycle(rt.context());

        assertEquals(1, s.parked(), s.toString());
        assertEquals(start + 3, quantity(erp.component(bill, comp).get("Quantity")), "the ERP has it");
        assertEquals(start, sf.bundledQuantity(bundle(bill), item(bill, comp)), "the busy bundle was not written");
        ExceptionRow row = rt.exceptions("OPEN").get(0);
        assertEquals("RECORD_LOCKED", row.failureClass());
        assertEquals("ProductImportJob", row.lockOwner());
        assertTrue(row.reason().contains("after 2 lock rounds"), row.reason());
        long writes = sf.log().entries().stream().filter(e -> e.method().equals("PATCH")).count();
        assertEquals(3, writes, "the first try and one per lock round");
        assertEquals(0, sf.log().collisions(), "the job's hold, not a collision of ours");
    }

    @Test
    void a_busy_parent_waits_off_its_lane_so_another_parent_on_that_lane_lands_and_the_busy_one_lands_after_the_hold() throws Exception {
        rt.set("sync.retry.lock-delays", "100ms,200ms,400ms,800ms,1600ms,3200ms");
        rt.start();
        long a = bills.get(0);
        long b = bills.stream().skip(1).filter(x -> Math.floorMod(Long.hashCode(x), 4) == Math.floorMod(Long.hashCode(a), 4)).findFirst()
                .orElseThrow();
        long compA = erp.componentIds(a).get(0);
        long compB = erp.componentIds(b).get(0);
        long startA = quantity(erp.component(a, compA).get("Quantity"));
        long startB = quantity(erp.component(b, compB).get("Quantity"));
        sf.holdProduct(bundle(a), "ProductImportJob");
        request(a, compA, startA, startA + 3);
        request(b, compB, startB, startB + 4);

        CompletableFuture<CycleSummary> cycle = CompletableFuture.supplyAsync(() -> CycleRunner.runBomCycle(rt.context()));
        // the other parent on the busy one's lane lands while the job still holds the busy one
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sf.bundledQuantity(bundle(b), item(b, compB)) == startB + 4);
        assertEquals(startA, sf.bundledQuantity(bundle(a), item(a, compA)), "the busy bundle is not written while held");
        sf.releaseProduct(bundle(a));
        CycleSummary s = cycle.get(60, TimeUnit.SECONDS);

        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertEquals(2, s.updated(), s.toString());
        assertEquals(startA + 3, sf.bundledQuantity(bundle(a), item(a, compA)), "the busy one lands after the hold");
        assertEquals(startA + 3, quantity(erp.component(a, compA).get("Quantity")));
        assertEquals(List.of(), rt.exceptions("OPEN"));
        long erpWritesOfA = erp.requests().count(r -> r.method().equals("PATCH") && r.path().contains("/itemStructures/" + a + "/"));
        assertEquals(1, erpWritesOfA, "back from its lock rounds, the change writes its bundle only: the ERP has it");
        assertEquals(0, sf.log().collisions(), "the job's hold, not a collision of ours");
    }

    @Test
    void a_throttled_bundle_call_backs_off_and_lands_instead_of_being_parked() throws Exception {
        rt.start();
        long bill = bills.get(0);
        long comp = erp.componentIds(bill).get(0);
        long start = quantity(erp.component(bill, comp).get("Quantity"));
        // a 429 with Retry-After: 1, then a 503 shedding load (sfdc_load_status THROTTLE, Retry-After: 1)
        sf.throttleNext(1, "1");
        sf.shedNext(1);
        request(bill, comp, start, start + 5);
        long began = System.nanoTime();

        CycleSummary s = CycleRunner.runBomCycle(rt.context());

        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertEquals(1, s.updated(), s.toString());
        assertEquals(List.of(), rt.exceptions("OPEN"), "backed off, not parked");
        assertEquals(start + 5, sf.bundledQuantity(bundle(bill), item(bill, comp)));
        assertEquals(1, sf.log().count(e -> e.status() == 429));
        assertEquals(1, sf.log().count(e -> e.status() == 503));
        assertTrue(System.nanoTime() - began >= TimeUnit.SECONDS.toNanos(2), "each Retry-After of 1 s was waited");
        assertEquals(1, erp.requests().count(r -> r.method().equals("PATCH") && r.path().contains("/itemStructures/" + bill + "/")),
                "the ERP's write is not sent again");
    }

    @Test
    void by_item_number_an_unmapped_bill_names_its_bundle_and_a_bill_that_is_no_product_is_no_bundle() throws Exception {
        long bundled = bills.get(4);
        long plain = bills.get(5);
        String bundleId = billItem(bundled);
        long comp = erp.componentIds(bundled).get(0);
        long start = quantity(erp.component(bundled, comp).get("Quantity"));
        sf.addBundledProduct(bundleId, item(bundled, comp), start);
        rt.set("storefront.bundles", "").set("storefront.bundles.by-item-number", "true");
        rt.start();
        long plainComp = erp.componentIds(plain).get(0);
        long plainStart = quantity(erp.component(plain, plainComp).get("Quantity"));
        request(bundled, comp, start, start + 4);
        request(plain, plainComp, plainStart, plainStart + 4);
        request(plain, plainComp, plainStart + 4, plainStart + 8);

        CycleSummary s = CycleRunner.runBomCycle(rt.context());

        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertEquals(3, s.updated());
        assertEquals(start + 4, sf.bundledQuantity(bundleId, item(bundled, comp)), "the bill's item number is its bundle");
        assertEquals(plainStart + 8, quantity(erp.component(plain, plainComp).get("Quantity")));
        long plainReads = sf.log().entries().stream().filter(e -> e.path().contains("/products/" + billItem(plain) + "/"))
                .count();
        assertEquals(1, plainReads, "a bill that is no product is asked once");
    }

    @Test
    void without_the_setting_the_bundles_are_left_alone() throws Exception {
        rt.set("storefront.bundles.enabled", "false");
        rt.start();
        long bill = bills.get(0);
        long comp = erp.componentIds(bill).get(0);
        long start = quantity(erp.component(bill, comp).get("Quantity"));
        request(bill, comp, start, start + 7);

        CycleSummary s = CycleRunner.runBomCycle(rt.context());

        assertEquals(1, s.updated(), s.toString());
        assertEquals(start + 7, quantity(erp.component(bill, comp).get("Quantity")));
        assertEquals(start, sf.bundledQuantity(bundle(bill), item(bill, comp)), "the bundle untouched");
        assertEquals(0, sf.maxRequestsInFlightPerParent(), "no request to a bundle");
    }
}
