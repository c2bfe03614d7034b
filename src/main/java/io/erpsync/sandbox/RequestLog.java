package io.erpsync.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Every ERP request the sandbox answered, so tests and benchmarks can count what a client sent. */
public final class RequestLog {
    /**
     * One answered request: when it arrived, when it was answered, and for writes which items it
     * touched and the OnhandQuantity it asked for each (whether or not the ERP applied it: see status).
     */
    public record Entry(Instant receivedAt, Instant at, String method, String path, String query, int status, int parts,
                        Set<Long> items, Map<Long, String> quantities) {
        public boolean isWrite() {
            return method.equals("PATCH") || method.equals("PUT")
                    || (method.equals("POST") && path.endsWith(SandboxErp.VERSION_ROOT));
        }
    }

    private static final int CAPACITY = 1_000_000;
    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    // the queue's own size() walks every entry; a counter keeps each add constant-time
    private final AtomicInteger size = new AtomicInteger();
    private final Map<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> overlaps = new ConcurrentHashMap<>();

    void add(Entry e) {
        entries.add(e);
        if (size.incrementAndGet() > CAPACITY && entries.poll() != null) {
            size.decrementAndGet();
        }
    }

    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /**
     * A request for one bill of materials is being answered: counted in flight for its bill until
     * {@link InFlight#end()}, and counted an overlap when another request for the bill was in flight
     * already (a client that keeps a bill's changes one at a time never overlaps).
     */
    InFlight begin(Long billId) {
        if (billId == null) {
            return new InFlight(null);
        }
        if (inFlight.computeIfAbsent(billId, b -> new AtomicInteger()).incrementAndGet() > 1) {
            overlaps.computeIfAbsent(billId, b -> new AtomicInteger()).incrementAndGet();
        }
        return new InFlight(billId);
    }

    /** A bill's request in flight; ended once, before its answer is sent. */
    final class InFlight {
        private final Long billId;
        private boolean ended;

        private InFlight(Long billId) {
            this.billId = billId;
        }

        void end() {
            if (billId != null && !ended) {
                ended = true;
                inFlight.get(billId).decrementAndGet();
            }
        }
    }

    private final AtomicInteger exponentBodies = new AtomicInteger();

    /** A request body wrote a number in exponent form (1E+1 for 10). */
    void exponentBody() {
        exponentBodies.incrementAndGet();
    }

    /** How many request bodies wrote a number in exponent form (the contract's clients write plain decimals). */
    public int bodiesWithExponentNumbers() {
        return exponentBodies.get();
    }

    /** By bill: how many of its requests arrived while another request for it was in flight. */
    public Map<Long, Integer> billOverlaps() {
        Map<Long, Integer> out = new TreeMap<>();
        overlaps.forEach((bill, n) -> out.put(bill, n.get()));
        return out;
    }

    public long count(Predicate<Entry> p) {
        return entries.stream().filter(p).count();
    }

    public void clear() {
        entries.clear();
        size.set(0);
        overlaps.clear();
        exponentBodies.set(0);
    }
}
