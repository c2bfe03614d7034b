package io.erpsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scripted misbehaviour for tests and benchmarks: the next requests of a kind fail in a chosen way
 * (a status, a reset connection before or after the work is done, a hang, a mangled answer), or are
 * held until released, so a test can stop the client at a chosen point.
 */
public final class Faults {

    /** How a request goes wrong. */
    public enum Kind {
        /** Answered with the status, nothing done (429 and 503 carry Retry-After per the knobs). */
        STATUS,
        /** The connection closes before anything is done. */
        RESET_BEFORE,
        /** The work is done (a write applied), then the connection closes without the answer. */
        RESET_AFTER,
        /** Nothing is answered for a while; then the work is done and answered. */
        HANG,
        /** The work is done; the JSON answer is cut in half. */
        TRUNCATED,
        /** The work is done; the answer is plain text, not JSON. */
        NOT_JSON,
        /** A proxy's HTML page with the status (nothing done unless the status is 200). */
        HTML,
        /** The work is done; a batch answer leaves out its last part. */
        MISSING_PARTS,
        /** The work is done; a batch answer names a part that was not sent. */
        UNKNOWN_PART,
        /** The work is done; the answer is padded to the given size in bytes. */
        HUGE
    }

    /** Which requests a fault or a hold applies to. */
    public enum Match {
        ANY, READ, WRITE, ESS;

        boolean matches(String method, String path) {
            boolean ess = path.startsWith(SandboxErp.ESS_PATH);
            boolean write = !ess && (method.equals("PATCH") || method.equals("PUT") || method.equals("POST"));
            return switch (this) {
                case ANY -> true;
                case ESS -> ess;
                case WRITE -> write;
                case READ -> !ess && method.equals("GET");
            };
        }

        static Match of(String s) {
            return s == null ? ANY : valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** One scripted fault: its kind, a status (STATUS, HTML), a duration or size (HANG, HUGE), and what it applies to. */
    public record Fault(Kind kind, int status, long amount, Match match) {
    }

    private final ConcurrentLinkedDeque<Fault> queue = new ConcurrentLinkedDeque<>();

    /** The answer as the fault leaves it, for the faults that change an answer after the work was done. */
    @SuppressWarnings("unchecked")
    static Reply mangle(Fault f, Reply r) {
        switch (f.kind()) {
            case NOT_JSON -> {
                return new Reply(r.status(), "OK".getBytes(StandardCharsets.UTF_8), r.headers(), "text/plain");
            }
            case HTML -> {
                return f.status() == 200 ? Reply.html(200) : r;
            }
            case MISSING_PARTS, UNKNOWN_PART -> {
                if (r.status() != 200 || !(r.body() instanceof Map<?, ?> m) || !(m.get("parts") instanceof List<?> parts)
                        || parts.isEmpty()) {
                    return r;
                }
                List<Object> changed = new ArrayList<>(parts);
                if (f.kind() == Kind.MISSING_PARTS) {
                    changed.remove(changed.size() - 1);
                } else {
                    Map<String, Object> first = new LinkedHashMap<>((Map<String, Object>) changed.get(0));
                    first.put("id", "part999");
                    changed.set(0, first);
                }
                return new Reply(r.status(), Map.of("parts", changed), r.headers(), r.contentType());
            }
            case HUGE -> {
                Map<String, Object> padded = new LinkedHashMap<>();
                padded.put("padding", "x".repeat((int) Math.min(Integer.MAX_VALUE - 64, Math.max(0, f.amount()))));
                if (r.body() instanceof Map<?, ?> m) {
                    ((Map<String, Object>) (Map<?, ?>) m).forEach(padded::put);
                }
                return new Reply(r.status(), padded, r.headers(), r.contentType());
            }
            default -> {
                return r;
            }
        }
    }
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Match holdMatch;
    private int holdCount;
    private int held;
    private long releases;
    private boolean dropReleased;

    public void add(Fault f, int count) {
        for (int i = 0; i < count; i++) {
            queue.add(f);
        }
    }

    public int queued() {
        return queue.size();
    }

    public void clear() {
        queue.clear();
    }

    /** The first queued fault for this request, taken off the queue; null when none applies. */
    Fault take(String method, String path) {
        for (Iterator<Fault> it = queue.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.match().matches(method, path) && queue.removeFirstOccurrence(f)) {
                return f;
            }
        }
        return null;
    }

    /** The next {@code count} matching requests wait (before any work) until {@link #release}. */
    public void hold(Match match, int count) {
        lock.lock();
        try {
            holdMatch = match;
            holdCount = count;
        } finally {
            lock.unlock();
        }
    }

    /** Lets the held requests go on: done and answered, or, with {@code drop}, closed without any work. */
    public void release(boolean drop) {
        lock.lock();
        try {
            holdCount = 0;
            dropReleased = drop;
            releases++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many requests are being held now. */
    public int held() {
        lock.lock();
        try {
            return held;
        } finally {
            lock.unlock();
        }
    }

    /** Waits while this request is held; false when it was released to be dropped. */
    boolean pass(String method, String path) {
        lock.lock();
        try {
            if (holdCount <= 0 || holdMatch == null || !holdMatch.matches(method, path)) {
                return true;
            }
            holdCount--;
            held++;
            long release = releases;
            try {
                while (releases == release) {
                    if (!changed.await(10, TimeUnit.MINUTES)) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                held--;
            }
            return !dropReleased;
        } finally {
            lock.unlock();
        }
    }
}
