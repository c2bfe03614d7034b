package io.erpsync.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * The sandbox's bills of materials (contract 6): structures and their components. Reads are
 * lock-free snapshots; every write runs under this object's monitor, so an ETag check and its update
 * are one step, and a component's write moves its structure's ETag too.
 */
public final class SandboxStructures {
    static final long FIRST_BILL_ID = 300100090000000L;
    static final Set<String> COMPONENT_FIELDS = Set.of("Quantity", "LeadTimeOffset", "Notes", "ComponentItemNumber");

    /** One change applied to a BOM component field: by "client" (an API write) or "another user". */
    public record ComponentChange(long billId, long componentId, String field, Object value, String by, Instant at) {
    }

    private final Clock clock;
    private final Knobs knobs;
    private final Supplier<Random> random;
    private final ConcurrentSkipListMap<Long, Versioned> structures = new ConcurrentSkipListMap<>();
    private final Map<Long, ConcurrentSkipListMap<Long, Versioned>> components = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ComponentChange> componentHistory = new ConcurrentLinkedQueue<>();

    SandboxStructures(Clock clock, Knobs knobs, Supplier<Random> random) {
        this.clock = clock;
        this.knobs = knobs;
        this.random = random;
    }

    /** Seeds {@code bills} bills of five components each over the first {@code count} items, deterministic for the seeded random. */
    void seed(int bills, int count, Random r) {
        for (int b = 1; b <= bills && count > 0; b++) {
            long billId = FIRST_BILL_ID + b;
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("BillSequenceId", billId);
            s.put("ItemNumber", SandboxItems.itemNumber(b));
            s.put("OrganizationCode", "M1");
            s.put("AlternateBOMDesignator", "Primary");
            s.put("LastUpdateDate", now());
            structures.put(billId, new Versioned(billId, s, 1));
            ConcurrentSkipListMap<Long, Versioned> comps = new ConcurrentSkipListMap<>();
            for (int c = 1; c <= 5; c++) {
                long compId = billId * 10 + c;
                Map<String, Object> cf = new LinkedHashMap<>();
                cf.put("ComponentSequenceId", compId);
                cf.put("ComponentItemNumber", SandboxItems.itemNumber(1 + (b * 5 + c) % Math.max(1, count)));
                cf.put("Quantity", 1 + r.nextInt(10));
                cf.put("LeadTimeOffset", 0);
                cf.put("Notes", "");
                comps.put(compId, new Versioned(compId, cf, 1));
            }
            components.put(billId, comps);
        }
    }

    private String now() {
        return SandboxItems.lastUpdateDate(clock.instant());
    }

    /** Adds {@code n} components to the bill, naming the items {@code itemNumbers} gives in turn (a bill of many parts). */
    synchronized List<Long> addComponents(long billId, int n, java.util.function.IntFunction<String> itemNumbers) {
        ConcurrentSkipListMap<Long, Versioned> comps = components.get(billId);
        List<Long> ids = new ArrayList<>();
        // why: apart from the seeded ids (billId * 10 + 1..5), so a bill's added components never share an id with another bill's
        long next = Math.max(billId * 1_000 + 100, comps.isEmpty() ? 0 : comps.lastKey() + 1);
        for (int i = 0; i < n; i++) {
            long compId = next + i;
            Map<String, Object> cf = new LinkedHashMap<>();
            cf.put("ComponentSequenceId", compId);
            cf.put("ComponentItemNumber", itemNumbers.apply(i));
            cf.put("Quantity", 1);
            cf.put("LeadTimeOffset", 0);
            cf.put("Notes", "");
            comps.put(compId, new Versioned(compId, cf, 1));
            ids.add(compId);
        }
        return ids;
    }

    List<Long> billIds() {
        return new ArrayList<>(structures.keySet());
    }

    Versioned structure(long id) {
        return structures.get(id);
    }

    Collection<Versioned> components(long billId) {
        Map<Long, Versioned> c = components.get(billId);
        return c == null ? List.of() : c.values();
    }

    Versioned component(long billId, long compId) {
        Map<Long, Versioned> c = components.get(billId);
        return c == null ? null : c.get(compId);
    }

    List<ComponentChange> componentHistory() {
        return new ArrayList<>(componentHistory);
    }

    /** Another user (a planner in the ERP's UI) changes a component field: both ETags move, LastUpdatedBy says who. */
    synchronized void editComponentByAnotherUser(long billId, long compId, String field, Object value, String user) {
        Versioned cur = component(billId, compId);
        if (cur != null) {
            applyComponent(billId, cur, Map.of(field, value), "another user", user);
        }
    }

    private Versioned applyComponent(long billId, Versioned cur, Map<String, Object> changes, String by, String user) {
        Map<String, Object> f = new LinkedHashMap<>(cur.fields());
        f.putAll(changes);
        f.put("LastUpdatedBy", user);
        Versioned next = new Versioned(cur.id(), f, cur.version() + 1);
        components.get(billId).put(cur.id(), next);
        Versioned parent = structures.get(billId);
        Map<String, Object> pf = new LinkedHashMap<>(parent.fields());
        pf.put("LastUpdateDate", now());
        structures.put(billId, new Versioned(billId, pf, parent.version() + 1));
        Instant at = clock.instant();
        changes.forEach((k, v) -> componentHistory.add(new ComponentChange(billId, cur.id(), k, v, by, at)));
        return next;
    }

    /** PATCH on a BOM component: its ETag and its parent structure's ETag both change (contract 6). */
    synchronized Reply patchComponent(long billId, long compId, String ifMatch, Object payload) {
        Versioned cur = component(billId, compId);
        if (cur == null) {
            return Reply.error(404, "Not Found", "Component " + compId + " of structure " + billId + " was not found.", "NOT_FOUND");
        }
        if (ifMatch != null && !Etags.matches(ifMatch, cur.etag())) {
            return Reply.error(412, "Precondition Failed", "The If-Match value does not match the current version.", "PRECONDITION_FAILED")
                    .withHeader("ETag", Etags.quote(cur.etag()));
        }
        if (knobs.modifiedRate > 0 && random.get().nextDouble() < knobs.modifiedRate) {
            return Reply.modified();
        }
        if (!(payload instanceof Map<?, ?> m) || m.isEmpty()) {
            return Reply.error(400, "Bad Request", "The payload must be a non-empty JSON object.", "INVALID_PAYLOAD");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!COMPONENT_FIELDS.contains(String.valueOf(e.getKey()))) {
                return Reply.error(400, "Bad Request", "Attribute " + e.getKey() + " is not updatable.", "INVALID_PAYLOAD");
            }
            if ("Quantity".equals(e.getKey()) && !(e.getValue() instanceof Number n && n.doubleValue() >= 0)) {
                return Reply.error(400, "Bad Request", "Quantity must be a number not less than 0.", "INVALID_PAYLOAD");
            }
        }
        Versioned next = applyComponent(billId, cur, SandboxItems.asMap(payload), "client", "INTEGRATION.USER");
        return Reply.ok(next.fields()).withHeader("ETag", Etags.quote(next.etag()));
    }
}
