package io.erpsync.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sandbox's scheduled processes and the locks they hold: a job locks its items from its start to
 * its end (writes to them answer 409 RECORD_LOCKED naming its submitter), and a bill can be locked
 * for a while; reads go on. The ESS resource lists the jobs.
 */
final class SandboxJobs {
    private final Clock clock;
    private final List<ScheduledJob> jobs = new CopyOnWriteArrayList<>();
    private final AtomicLong nextRequestId = new AtomicLong(81234);
    private final Map<Long, BillLock> billLocks = new ConcurrentHashMap<>();

    /** A bill locked until {@code until} by {@code owner}. */
    record BillLock(Instant until, String owner) {
    }

    SandboxJobs(Clock clock) {
        this.clock = clock;
    }

    ScheduledJob lockOwner(long itemId) {
        Instant now = clock.instant();
        for (ScheduledJob j : jobs) {
            if (j.locks(itemId, now)) {
                return j;
            }
        }
        return null;
    }

    /** Starts a simulated scheduled process that locks the given items for {@code duration}, starting after {@code delay}. */
    ScheduledJob startJob(String name, String submitter, Duration delay, Duration duration, Set<Long> itemIds) {
        Instant start = clock.instant().plus(delay);
        ScheduledJob j = new ScheduledJob(nextRequestId.getAndIncrement(), name, submitter, start, start.plus(duration), Set.copyOf(itemIds));
        jobs.add(j);
        return j;
    }

    List<ScheduledJob> jobs() {
        return List.copyOf(jobs);
    }

    void clearJobs() {
        jobs.clear();
    }

    /** Locks a bill until {@code until}: writes to its components answer 409 RECORD_LOCKED naming {@code owner}. */
    void lockBill(long billId, Instant until, String owner) {
        billLocks.put(billId, new BillLock(until, owner));
    }

    /** The lock on this bill now, or null. */
    BillLock billLock(long billId) {
        BillLock lock = billLocks.get(billId);
        return lock != null && clock.instant().isBefore(lock.until()) ? lock : null;
    }
}
