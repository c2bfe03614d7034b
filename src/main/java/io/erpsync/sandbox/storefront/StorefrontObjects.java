package io.erpsync.sandbox.storefront;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storefront's data as the contract describes it (sections 3 and 5): inventory records and
 * bundled products with their {@code _resource_state}, objects held busy by a named job, and the
 * objects a write is in progress on, so that a second write touching the same one (the record, or
 * a bundle's parent product) fails with ConcurrentModificationException.
 */
final class StorefrontObjects {
    static final String VERSION = "23.2";

    /** A record or bundled product: the one number we own, the others' fields, and its state. */
    static final class Entry {
        long amount;
        long turnover;
        String resetDate;
        String state;
        final Map<String, Object> others = new LinkedHashMap<>();
    }

    private final Clock clock;
    private final AtomicLong versions = new AtomicLong();
    private final Map<String, Map<String, Entry>> lists = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Entry>> bundles = new ConcurrentHashMap<>();
    /** Object (record path, or parent product) -> the job holding it busy. */
    private final Map<String, String> busy = new ConcurrentHashMap<>();
    private final Set<String> writing = ConcurrentHashMap.newKeySet();
    /** Every value a bundled product took, in order, and who set it: "client" (a PATCH) or "merchant". */
    private final List<SandboxStorefront.BundledChange> history = new ArrayList<>();

    StorefrontObjects(Clock clock) {
        this.clock = clock;
    }

    void addRecord(String listId, String productId, long amount) {
        Entry e = new Entry();
        e.amount = amount;
        e.resetDate = clock.instant().toString();
        e.others.put("perpetual_flag", false);
        e.state = nextState();
        lists.computeIfAbsent(listId, l -> new ConcurrentHashMap<>()).put(productId, e);
    }

    void addBundledProduct(String bundleId, String productId, long quantity) {
        Entry e = new Entry();
        e.amount = quantity;
        e.state = nextState();
        bundles.computeIfAbsent(bundleId, b -> new ConcurrentHashMap<>()).put(productId, e);
    }

    Entry record(String listId, String productId) {
        Map<String, Entry> list = lists.get(listId);
        return list == null ? null : list.get(productId);
    }

    boolean hasList(String listId) {
        return lists.containsKey(listId);
    }

    Map<String, Entry> bundle(String bundleId) {
        return bundles.get(bundleId);
    }

    /** An order of n on the record: turnover grows and the state changes, as the server's own write. */
    void placeOrder(String listId, String productId, long n) {
        Entry e = record(listId, productId);
        synchronized (e) {
            e.turnover += n;
            e.state = nextState();
        }
    }

    /** Every record, as list and product, for the knobs that act on a share of them. */
    List<String[]> recordIds() {
        List<String[]> out = new ArrayList<>();
        lists.forEach((list, records) -> records.keySet().forEach(p -> out.add(new String[] {list, p})));
        return out;
    }

    /** A merchant edits a field of the record that is not ours (perpetual_flag): its state changes, our amount stays. */
    void editOtherField(String listId, String productId, String field, Object value) {
        Entry e = record(listId, productId);
        synchronized (e) {
            e.others.put(field, value);
            e.state = nextState();
        }
    }

    /** A merchant (another user) edits the bundled product's quantity: its state changes. */
    void editBundledProduct(String bundleId, String productId, long quantity) {
        Entry e = bundles.get(bundleId).get(productId);
        synchronized (e) {
            e.amount = quantity;
            e.state = nextState();
            changed(bundleId, productId, "quantity", quantity, "merchant");
        }
    }

    /** A merchant edits a field of the bundled product that is not ours: its state changes, our quantity stays. */
    void editBundledOther(String bundleId, String productId, String field, Object value) {
        Entry e = bundles.get(bundleId).get(productId);
        synchronized (e) {
            e.others.put(field, value);
            e.state = nextState();
            changed(bundleId, productId, field, value, "merchant");
        }
    }

    void changed(String bundleId, String productId, String field, Object value, String by) {
        synchronized (history) {
            history.add(new SandboxStorefront.BundledChange(bundleId, productId, field, value, by));
        }
    }

    List<SandboxStorefront.BundledChange> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    void hold(String object, String job) {
        busy.put(object, job);
    }

    void release(String object) {
        busy.remove(object);
    }

    String holder(String object) {
        return busy.get(object);
    }

    /** Starts a write on the object; false when one is in progress already (the caller answers 409). */
    boolean beginWrite(String object) {
        return writing.add(object);
    }

    void endWrite(String object) {
        writing.remove(object);
    }

    String nextState() {
        // opaque to clients, as the contract says; a counter keeps the sandbox repeatable
        return String.format("%016x", versions.incrementAndGet() * 0x9E3779B97F4A7C15L);
    }

    /** What every document of one product carries: version, type, state and product id. */
    private static Map<String, Object> document(String type, String productId, Entry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("_v", VERSION);
        out.put("_type", type);
        out.put("_resource_state", e.state);
        out.put("product_id", productId);
        return out;
    }

    Map<String, Object> recordJson(String productId, Entry e) {
        Map<String, Object> out = document("product_inventory_record", productId, e);
        out.put("allocation", Map.of("amount", e.amount, "reset_date", e.resetDate));
        out.put("ats", e.amount - e.turnover);
        out.put("stock_level", e.amount - e.turnover);
        out.put("turnover", e.turnover);
        out.putAll(e.others);
        return out;
    }

    Map<String, Object> bundledJson(String productId, Entry e) {
        Map<String, Object> out = document("bundled_product", productId, e);
        out.put("quantity", e.amount);
        out.putAll(e.others);
        return out;
    }

    Map<String, Object> bundleJson(Map<String, Entry> bundle) {
        List<Object> data = new ArrayList<>();
        bundle.forEach((p, e) -> data.add(bundledJson(p, e)));
        return Map.of("_v", VERSION, "_type", "bundled_products", "data", data, "count", data.size());
    }
}
