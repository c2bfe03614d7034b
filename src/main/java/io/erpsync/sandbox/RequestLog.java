package io.erpsync.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/** Every ERP request the sandbox answered, so tests and benchmarks can count what a client sent. */
public final class RequestLog {
    /**
     * One answered request: when it arrived, when it was answered, and for writes which items it
     * touched and the OnhandQuantity it asked for each (whether or not the ERP applied it: see status).
     */
    public record Entry(Instant receivedAt, Instant at, String method, String path, String query, int status, int parts,
                        java.util.Set<Long> items, java.util.Map<Long, String> quantities) {
        public boolean isWrite() {
            return method.equals("PATCH") || method.equals("PUT")
                    || (method.equals("POST") && path.endsWith(SandboxErp.VERSION_ROOT));
        }
    }

    private static final int CAPACITY = 1_000_000;
    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    // the queue's own size() walks every entry; a counter keeps each add constant-time
    private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();

    void add(Entry e) {
        entries.add(e);
        if (size.incrementAndGet() > CAPACITY && entries.poll() != null) {
            size.decrementAndGet();
        }
    }

    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public long count(Predicate<Entry> p) {
        return entries.stream().filter(p).count();
    }

    public void clear() {
        entries.clear();
        size.set(0);
    }
}
