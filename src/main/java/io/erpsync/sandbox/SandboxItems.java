package io.erpsync.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The sandbox's item master (contract 2 and 3). Reads are lock-free snapshots; every write (single
 * update, whole batch, another user's edit) runs under this object's monitor, so a batch is applied
 * all or nothing and an ETag check and its update are one step. An item a job locks
 * ({@link SandboxJobs}) answers 409 RECORD_LOCKED.
 */
public final class SandboxItems {

    /**
     * One change the sandbox applied to an item field: who made it ("client" for API writes, "another
     * user" for the simulated planner), when, and the version it made. The ground truth for tests.
     */
    public record Change(long itemId, String itemNumber, String organizationCode, String field, Object value, String by, Instant at,
                         long version) {
    }

    private static final int HISTORY_CAPACITY = 1_000_000;
    private final ConcurrentLinkedQueue<Change> history = new ConcurrentLinkedQueue<>();
    private final AtomicInteger historySize = new AtomicInteger();

    List<Change> history() {
        return new ArrayList<>(history);
    }

    void recordChanges(Versioned before, Versioned after, Map<String, Object> changes, String by) {
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            if (READ_ONLY.contains(e.getKey())) {
                continue;
            }
            history.add(new Change(after.id(), String.valueOf(after.fields().get("ItemNumber")),
                    String.valueOf(after.fields().get("OrganizationCode")), e.getKey(), e.getValue(), by, clock.instant(), after.version()));
            if (historySize.incrementAndGet() > HISTORY_CAPACITY && history.poll() != null) {
                historySize.decrementAndGet();
            }
        }
    }

    static final long FIRST_ITEM_ID = 300100071600000L;
    static final List<String> CATEGORIES = List.of("FASTENERS", "ELECTRICAL", "HYDRAULICS", "PACKAGING", "TOOLS");
    static final Set<String> READ_ONLY = Set.of("ItemId", "ItemNumber", "OrganizationCode", "LastUpdateDate", "links");

    private final Clock clock;
    private final Knobs knobs;
    private final Supplier<Random> random;
    private final SandboxJobs jobs;
    private final ConcurrentSkipListMap<Long, Versioned> items = new ConcurrentSkipListMap<>();
    private final Map<String, List<Long>> idsByNumber = new ConcurrentHashMap<>();
    private volatile Set<String> queryableFields = Set.of();

    SandboxItems(Clock clock, Knobs knobs, Supplier<Random> random, SandboxJobs jobs) {
        this.clock = clock;
        this.knobs = knobs;
        this.random = random;
        this.jobs = jobs;
    }

    /** Item n's category among {@code categories}: the five named ones first, then CATEGORY-6 and on. */
    public static String category(int n, int categories) {
        int c = n % categories;
        return c < CATEGORIES.size() ? CATEGORIES.get(c) : "CATEGORY-" + (c + 1);
    }

    /** Seeds {@code count} items over two organizations and {@code categories} categories, deterministic for the seeded random. */
    void seed(int count, int categories, Random r) {
        if (categories < 1) {
            throw new IllegalArgumentException("sandbox.categories must be at least 1, not " + categories);
        }
        for (int n = 1; n <= count; n++) {
            Map<String, Object> f = new LinkedHashMap<>();
            long id = FIRST_ITEM_ID + n;
            f.put("ItemId", id);
            f.put("ItemNumber", itemNumber(n));
            f.put("OrganizationCode", n % 2 == 1 ? "M1" : "M2");
            f.put("ItemCategory", category(n, categories));
            f.put("ItemDescription", "Sandbox item " + n);
            f.put("PrimaryUOMCode", "Ea");
            f.put("ItemStatusValue", "Active");
            f.put("PlannerCode", "PLN" + (n % 7));
            f.put("OnhandQuantity", r.nextInt(1000));
            f.put("LastUpdateDate", now());
            put(new Versioned(id, f, 1));
        }
        queryableFields = Set.copyOf(items.isEmpty() ? List.of("ItemId", "ItemNumber", "OrganizationCode", "ItemCategory")
                : items.firstEntry().getValue().fields().keySet());
    }

    public static String itemNumber(int n) {
        return String.format("ITM-%05d", n);
    }

    private void put(Versioned v) {
        items.put(v.id(), v);
        idsByNumber.computeIfAbsent(String.valueOf(v.fields().get("ItemNumber")), k -> new CopyOnWriteArrayList<>()).add(v.id());
    }

    private static final DateTimeFormatter LAST_UPDATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    String now() {
        return lastUpdateDate(clock.instant());
    }

    /** A LastUpdateDate as the ERP writes it. */
    static String lastUpdateDate(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC).format(LAST_UPDATE);
    }

    // ---- reads ----------------------------------------------------------------------------

    Versioned item(long id) {
        return items.get(id);
    }

    Versioned itemByNumber(String itemNumber, String org) {
        for (long id : idsByNumber.getOrDefault(itemNumber, List.of())) {
            Versioned v = items.get(id);
            if (v != null && org.equals(v.fields().get("OrganizationCode"))) {
                return v;
            }
        }
        return null;
    }

    int itemCount() {
        return items.size();
    }

    /** Every item's OnhandQuantity by ItemNumber|OrganizationCode, for benchmarks that check what landed. */
    Map<String, Object> quantities() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Versioned v : items.values()) {
            out.put(v.fields().get("ItemNumber") + "|" + v.fields().get("OrganizationCode"), v.fields().get("OnhandQuantity"));
        }
        return out;
    }

    /** Every item with all its fields, for a checker outside this process. */
    List<Map<String, Object>> allItems() {
        List<Map<String, Object>> out = new ArrayList<>(items.size());
        for (Versioned v : items.values()) {
            Map<String, Object> m = new LinkedHashMap<>(v.fields());
            m.put("ItemId", v.id());
            out.add(m);
        }
        return out;
    }

    List<Versioned> query(Query q) {
        Set<String> numbers = q.valuesOf("ItemNumber");
        Collection<Versioned> candidates;
        if (numbers != null) {
            List<Versioned> c = new ArrayList<>();
            for (String n : numbers) {
                for (long id : idsByNumber.getOrDefault(n, List.of())) {
                    c.add(items.get(id));
                }
            }
            c.sort(Comparator.comparingLong(Versioned::id));
            candidates = c;
        } else {
            candidates = items.values();
        }
        List<Versioned> out = new ArrayList<>();
        for (Versioned v : candidates) {
            if (v != null && q.matches(v.fields())) {
                out.add(v);
            }
        }
        return out;
    }

    Set<String> queryableFields() {
        return queryableFields;
    }

    /** Picks a deterministic-for-the-seed fraction of all items. */
    Set<Long> sampleItems(double fraction, long seed) {
        Random r = new Random(seed);
        Set<Long> ids = new HashSet<>();
        for (long id : items.keySet()) {
            if (r.nextDouble() < fraction) {
                ids.add(id);
            }
        }
        return ids;
    }

    // ---- writes ---------------------------------------------------------------------------

    /** 404 for an item that is not there, 409 RECORD_LOCKED for one a job locks; null when it may be written. */
    private Reply missingOrLocked(long id, Versioned cur) {
        if (cur == null) {
            return Reply.error(404, "Not Found", "The requested resource items/" + id + " was not found.", "NOT_FOUND");
        }
        ScheduledJob owner = jobs.lockOwner(id);
        return owner == null ? null : Reply.locked((String) cur.fields().get("ItemNumber"), owner.submitter());
    }

    /** Single PATCH (contract 2.3). */
    synchronized Reply patchItem(long id, String ifMatch, Object payload) {
        Versioned cur = items.get(id);
        Reply refused = missingOrLocked(id, cur);
        if (refused != null) {
            return refused;
        }
        if (ifMatch != null && !Etags.matches(ifMatch, cur.etag())) {
            return Reply.error(412, "Precondition Failed", "The If-Match value does not match the current version.", "PRECONDITION_FAILED")
                    .withHeader("ETag", Etags.quote(cur.etag()));
        }
        if (modifiedByAnotherUserNow()) {
            return Reply.modified();
        }
        String invalid = invalidItemPayload(payload, cur);
        if (invalid != null) {
            return Reply.error(400, "Bad Request", invalid, "INVALID_PAYLOAD");
        }
        Versioned next = merge(cur, asMap(payload));
        items.put(id, next);
        recordChanges(cur, next, asMap(payload), "client");
        return itemReply(next, true);
    }

    /** PUT replaces the whole item: fields not sent are cleared (why the runtime never uses it). */
    synchronized Reply replaceItem(long id, Object payload) {
        Versioned cur = items.get(id);
        Reply refused = missingOrLocked(id, cur);
        if (refused != null) {
            return refused;
        }
        if (!(payload instanceof Map<?, ?> m)) {
            return Reply.error(400, "Bad Request", "The payload must be a JSON object.", "INVALID_PAYLOAD");
        }
        Versioned next = replaced(cur, asMap(m));
        items.put(id, next);
        recordChanges(cur, next, next.fields(), "client");
        return itemReply(next, true);
    }

    /** Another user edits a field we do not own, bumping the ETag. */
    synchronized void editByAnotherUser(long id, String field, Object value) {
        Versioned cur = items.get(id);
        if (cur != null) {
            Versioned next = merge(cur, Map.of(field, value));
            items.put(id, next);
            recordChanges(cur, next, Map.of(field, value), "another user");
        }
    }

    /** The batch endpoint (contract section 3), all or nothing: under this monitor, like every other write. */
    synchronized Reply batch(List<Map<String, Object>> parts) {
        return new ItemBatch(this).run(parts);
    }

    /** Stores a batch's working copy: a null version deletes the item. */
    void store(Map<Long, Versioned> working) {
        for (Map.Entry<Long, Versioned> e : working.entrySet()) {
            if (e.getValue() == null) {
                items.remove(e.getKey());
            } else {
                items.put(e.getKey(), e.getValue());
            }
        }
    }

    boolean contains(long id) {
        return items.containsKey(id);
    }

    ScheduledJob lockOwner(long id) {
        return jobs.lockOwner(id);
    }

    /** Whether this write meets another user's concurrent change (the modifiedRate knob). */
    boolean modifiedByAnotherUserNow() {
        return knobs.modifiedRate > 0 && random.get().nextDouble() < knobs.modifiedRate;
    }

    static Long itemIdFromPath(String path) {
        String p = path.startsWith(SandboxErp.VERSION_ROOT) ? path.substring(SandboxErp.VERSION_ROOT.length()) : path;
        if (!p.startsWith("/items/")) {
            return null;
        }
        try {
            return Long.parseLong(p.substring("/items/".length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    String invalidItemPayload(Object payload, Versioned cur) {
        if (!(payload instanceof Map<?, ?> m) || m.isEmpty()) {
            return "The payload must be a non-empty JSON object.";
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (READ_ONLY.contains(key)) {
                return "Attribute " + key + " is read-only.";
            }
            if (!cur.fields().containsKey(key)) {
                return "Attribute " + key + " is not a valid attribute of items.";
            }
            if (key.equals("OnhandQuantity")) {
                if (!(e.getValue() instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
                    return "The value " + e.getValue() + " of OnhandQuantity is not valid: it must be a number not less than 0.";
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    Versioned merge(Versioned cur, Map<String, Object> changes) {
        Map<String, Object> f = new LinkedHashMap<>(cur.fields());
        f.putAll(changes);
        f.put("LastUpdateDate", now());
        return new Versioned(cur.id(), f, cur.version() + 1);
    }

    /** The item as a replace (PUT) leaves it: fields not sent are cleared, read-only ones kept. */
    Versioned replaced(Versioned cur, Map<String, Object> m) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (String key : cur.fields().keySet()) {
            f.put(key, READ_ONLY.contains(key) ? cur.fields().get(key) : m.get(key));
        }
        f.put("LastUpdateDate", now());
        return new Versioned(cur.id(), f, cur.version() + 1);
    }

    Reply itemReply(Versioned v, boolean withLinks) {
        return Reply.ok(render(v, !withLinks)).withHeader("ETag", Etags.quote(v.etag()));
    }

    /** Item JSON with the self link carrying changeIndicator, unless onlyData. */
    Map<String, Object> render(Versioned v, boolean onlyData) {
        return render(v, onlyData, null);
    }

    /** Item JSON with only the given fields (all when null), and the self link unless onlyData (fields= keeps the links). */
    Map<String, Object> render(Versioned v, boolean onlyData, Set<String> fields) {
        Map<String, Object> m;
        if (fields == null) {
            m = new LinkedHashMap<>(v.fields());
        } else {
            m = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : v.fields().entrySet()) {
                if (fields.contains(e.getKey())) {
                    m.put(e.getKey(), e.getValue());
                }
            }
        }
        if (!onlyData) {
            Map<String, Object> self = new LinkedHashMap<>();
            self.put("rel", "self");
            self.put("href", SandboxErp.VERSION_ROOT + "/items/" + v.id());
            self.put("name", "items");
            self.put("kind", "item");
            self.put("properties", Map.of("changeIndicator", v.etag()));
            m.put("links", List.of(self));
        }
        return m;
    }
}
