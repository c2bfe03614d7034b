package io.erpsync.bom;

import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.SampleWarehouse;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import io.erpsync.store.ExceptionRow;
import io.erpsync.sync.CycleRunner;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Bundles following the bills while a merchant edits the storefront, for BundlesBench (the figure)
 * and BundlesFollowBillsTest (the same outcomes at a small size): N chained quantity changes over
 * the given bills (the runtime started, the inbox made), each bill one bundle (bundle-{bill}); during the run a merchant edits 10 % of the
 * bundled products, half on the quantity (a change owns it: a true conflict), half on a field not
 * ours (c_position: only the state moves). The figures come from the sandboxes: what the storefront's
 * history holds, by writer, and how many of our requests it saw overlap on a parent.
 */
final class MerchantOnBundles {

    /** One edit of the merchant's: the bundled product, the field and the value. */
    record Edit(String bundle, String product, String field, Object value) {
    }

    /** What one run ended with. */
    record Figures(int changes, int merchantEdits, long applied, long unchanged, Map<String, Long> parked, long withoutOutcome,
                   int overwritten, int collisions, int overlaps, int maxInFlight, int outOfOrder, double storefrontPerChange,
                   double erpPerChange, double seconds) {
    }

    private MerchantOnBundles() {
    }

    static String bundle(long bill) {
        return "bundle-" + bill;
    }

    /** Every component of these bills as a bundled product of the bill's bundle; the mapping for storefront.bundles. */
    static String bundles(SandboxErp erp, SandboxStorefront sf, List<Long> bills) {
        StringBuilder mapping = new StringBuilder();
        for (long bill : bills) {
            for (long comp : erp.componentIds(bill)) {
                Map<String, Object> c = erp.component(bill, comp);
                sf.addBundledProduct(bundle(bill), String.valueOf(c.get("ComponentItemNumber")), quantity(c.get("Quantity")));
            }
            mapping.append(mapping.isEmpty() ? "" : ", ").append(bill).append(':').append(bundle(bill));
        }
        return mapping.toString();
    }

    /** The settings for bundles following the bills against this storefront. */
    static void settings(TestRuntime rt, SandboxStorefront sf, String mapping) {
        rt.set("bom.enabled", "true").set("storefront.bundles.enabled", "true").set("targets", "erp,storefront")
                .set("storefront.base-url", sf.baseUrl()).set("storefront.client-id", "erp-sync").set("storefront.client-secret", "sandbox")
                .set("storefront.inventory-lists", "M1:inventory_m1, M2:inventory_m2")
                .set("storefront.max-requests-per-second", "10000").set("storefront.max-concurrent-requests", "8")
                .set("storefront.bundles", mapping);
    }

    /** The BOM inbox (bom_change) in the runtime's WMS database. */
    static void inbox(TestRuntime rt) throws Exception {
        try (Connection c = DriverManager.getConnection(rt.wmsUrl); Statement st = c.createStatement()) {
            st.execute(SampleWarehouse.BOM_DDL);
        }
    }

    static long quantity(Object q) {
        return new BigDecimal(String.valueOf(q)).longValueExact();
    }

    /** Runs one BOM cycle of {@code changes} changes over the bills (the runtime started) with the merchant editing during it. */
    static Figures run(TestRuntime rt, SandboxErp erp, SandboxStorefront sf, List<Long> bills, int changes, long seed, int spreadMillis)
            throws Exception {
        Random random = new Random(seed);
        List<long[]> components = new ArrayList<>();
        Map<Long, String> items = new HashMap<>();
        for (long bill : bills) {
            for (long comp : erp.componentIds(bill)) {
                components.add(new long[] {bill, comp});
                items.put(comp, String.valueOf(erp.component(bill, comp).get("ComponentItemNumber")));
            }
        }
        // chained quantity changes: each one's old value the previous one's new, as its requester saw it
        Map<String, Long> seen = new HashMap<>();
        Map<String, List<Long>> chains = new HashMap<>();
        Instant at = Instant.parse("2026-05-01T08:00:00Z");
        try (Connection c = DriverManager.getConnection(rt.wmsUrl); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bom_change (change_id, bill_sequence_id, component_sequence_id, old_quantity, new_quantity, "
                        + "requested_by, requested_at) VALUES (?, ?, ?, ?, ?, 'PLM', ?)")) {
            for (int id = 1; id <= changes; id++) {
                long[] bc = components.get(random.nextInt(components.size()));
                String key = bundle(bc[0]) + "/" + items.get(bc[1]);
                long old = seen.computeIfAbsent(key, k -> quantity(erp.component(bc[0], bc[1]).get("Quantity")));
                long wanted = old + 1 + random.nextInt(5);
                ps.setLong(1, id);
                ps.setLong(2, bc[0]);
                ps.setLong(3, bc[1]);
                ps.setBigDecimal(4, BigDecimal.valueOf(old));
                ps.setBigDecimal(5, BigDecimal.valueOf(wanted));
                at = at.plusSeconds(1);
                ps.setTimestamp(6, Timestamp.from(at));
                ps.addBatch();
                seen.put(key, wanted);
                chains.computeIfAbsent(key, k -> new ArrayList<>()).add(wanted);
            }
            ps.executeBatch();
        }
        // the merchant: 10 % of the bundled products, half on a quantity a change owns, half on a field not ours
        List<String> owned = new ArrayList<>(chains.keySet());
        Collections.sort(owned);
        Collections.shuffle(owned, random);
        List<Edit> theirs = new ArrayList<>();
        for (int i = 0; i < Math.max(1, components.size() / 10); i++) {
            String[] bp = owned.get(i % owned.size()).split("/", 2);
            theirs.add(i % 2 == 0 ? new Edit(bp[0], bp[1], "quantity", 5000L + i) : new Edit(bp[0], bp[1], "c_position", "merchant " + i));
        }
        sf.log().clear();
        erp.requests().clear();
        long started = System.nanoTime();
        CompletableFuture<CycleSummary> cycle = CompletableFuture.supplyAsync(() -> CycleRunner.runBomCycle(rt.context()));
        for (Edit e : theirs) {
            // spread over the run; the outcomes hold whenever the edits land
            TimeUnit.MILLISECONDS.sleep(random.nextInt(spreadMillis + 1));
            if (e.field().equals("quantity")) {
                sf.editBundledProduct(e.bundle(), e.product(), (Long) e.value());
            } else {
                sf.editBundledOther(e.bundle(), e.product(), e.field(), e.value());
            }
        }
        CycleSummary s = cycle.get(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;

        List<SandboxStorefront.BundledChange> history = sf.bundledHistory();
        // theirs overwritten, field by field: their value is gone, or one of our writes to that field came after theirs
        int overwritten = 0;
        for (Edit e : theirs) {
            boolean kept = String.valueOf(e.value()).equals(String.valueOf(sf.bundledField(e.bundle(), e.product(), e.field())));
            Predicate<SandboxStorefront.BundledChange> field = h -> h.bundleId().equals(e.bundle()) && h.productId().equals(e.product())
                    && h.field().equals(e.field());
            if (Overwrites.overwritten(kept, history, field.and(h -> h.by().equals("merchant") && String.valueOf(h.value()).equals(String.valueOf(e.value()))),
                    field.and(h -> h.by().equals("client")))) {
                overwritten++;
            }
        }
        List<ExceptionRow> open = rt.exceptions("OPEN");
        Map<String, Long> parked = open.stream().collect(Collectors.groupingBy(ExceptionRow::failureClass, TreeMap::new, Collectors.counting()));
        long withoutOutcome = changes - s.updated() - s.unchanged() - open.size();
        long sfRequests = sf.log().count(en -> en.path().contains("/bundled_products/"));
        long erpRequests = erp.requests().count(r -> r.path().contains("/itemStructures/"));
        return new Figures(changes, theirs.size(), s.updated(), s.unchanged(), parked, withoutOutcome, overwritten, sf.log().collisions(),
                sf.parentOverlaps(), sf.maxRequestsInFlightPerParent(), outOfOrder(history, chains), (double) sfRequests / changes,
                (double) erpRequests / changes, seconds);
    }

    /** Our writes of a bundled quantity that went back in its chain: a value written after a value requested later. */
    static int outOfOrder(List<SandboxStorefront.BundledChange> history, Map<String, List<Long>> chains) {
        Map<String, Integer> reached = new HashMap<>();
        int out = 0;
        for (SandboxStorefront.BundledChange h : history) {
            if (!h.by().equals("client") || !h.field().equals("quantity")) {
                continue;
            }
            String key = h.bundleId() + "/" + h.productId();
            int at = chains.getOrDefault(key, List.of()).indexOf(((Number) h.value()).longValue());
            if (at < reached.getOrDefault(key, -1)) {
                out++;
            }
            reached.merge(key, at, Math::max);
        }
        return out;
    }
}
