package io.erpsync.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/** Every ERP request the sandbox answered, so tests and benchmarks can count what a client sent. */
public final class RequestLog {
    /** One answered request: when it arrived, when it was answered, and for writes which items it touched. */
    public record Entry(Instant receivedAt, Instant at, String method, String path, String query, int status, int parts,
                        java.util.Set<Long> items) {
        public boolean isWrite() {
            return method.equals("PATCH") || method.equals("PUT")
                    || (method.equals("POST") && path.endsWith(SandboxErp.VERSION_ROOT));
        }
    }

    private static final int CAPACITY = 1_000_000;
    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    void add(Entry e) {
        entries.add(e);
        if (entries.size() > CAPACITY) {
            entries.poll();
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
    }
}
