package io.erpsync.sandbox.storefront;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Every storefront request the sandbox answered, with its batch parts, and the counts a test reads
 * to see what a client did wrong: PUTs, writes without a state, fields sent that are not ours, and
 * writes that failed because another write to the same object was in progress (self-inflicted
 * collisions when the client is the only writer).
 */
public final class StorefrontLog {

    /** One part of a batch (or the request itself when it came alone). */
    public record Part(String method, String path, int status, String faultType) {
    }

    public record Entry(String method, String path, int status, List<Part> parts) {
        public boolean isBatch() {
            return path.equals(SandboxStorefront.BATCH_PATH);
        }
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger puts = new AtomicInteger();
    private final AtomicInteger withoutState = new AtomicInteger();
    private final AtomicInteger foreignFields = new AtomicInteger();
    private final AtomicInteger collisions = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();

    void add(Entry e) {
        entries.add(e);
    }

    void write(String method, JsonNode body, String owned) {
        if (method.equals("PUT")) {
            puts.incrementAndGet();
        }
        if (!body.has("_resource_state")) {
            withoutState.incrementAndGet();
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            boolean ours = name.equals("_resource_state") || name.equals(owned);
            if (!ours || (name.equals("allocation") && !onlyAmount(body.get(name)))) {
                foreignFields.incrementAndGet();
            }
        }
    }

    private static boolean onlyAmount(JsonNode allocation) {
        return allocation.size() == 1 && allocation.has("amount");
    }

    void collision() {
        collisions.incrementAndGet();
    }

    void tokenRequest() {
        tokenRequests.incrementAndGet();
    }

    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public long count(Predicate<Entry> p) {
        return entries.stream().filter(p).count();
    }

    public int puts() {
        return puts.get();
    }

    public int writesWithoutState() {
        return withoutState.get();
    }

    /** Fields sent in writes that are not the one the client owns (allocation.amount, a bundled product's quantity). */
    public int foreignFields() {
        return foreignFields.get();
    }

    /** Writes refused because another write touching the same object (the record, the parent product) was in progress. */
    public int collisions() {
        return collisions.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public void clear() {
        entries.clear();
        puts.set(0);
        withoutState.set(0);
        foreignFields.set(0);
        collisions.set(0);
        tokenRequests.set(0);
    }
}
