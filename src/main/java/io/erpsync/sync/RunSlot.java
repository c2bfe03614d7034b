package io.erpsync.sync;

import io.erpsync.core.CycleSummary;
import io.erpsync.store.RunLease;
import io.erpsync.store.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One kind of run at a time (stock cycles and replays, or BOM runs): in this process, and across
 * every process on the store through its {@link RunLease}. A run that finds the slot taken is
 * recorded as SKIPPED_OVERLAP, naming the run (and, elsewhere, the node) that has it.
 */
public final class RunSlot {
    private static final Logger LOG = LoggerFactory.getLogger(RunSlot.class);

    /** Records the run's RUNNING row and makes its {@link Cycle}; called with the slot taken. */
    public interface Opening {
        Cycle open(Instant now);
    }

    private final String name;
    private final String prefix;
    private final RunLease lease;
    private final SyncRuns runs;
    private final AtomicReference<Cycle> running = new AtomicReference<>();

    /** {@code name}: the lease (RunLease.STOCK, RunLease.BOM); {@code prefix}: before "run N" where a skip names it ("", "BOM "). */
    public RunSlot(String name, String prefix, RunLease lease, SyncRuns runs) {
        this.name = name;
        this.prefix = prefix;
        this.lease = lease;
        this.runs = runs;
    }

    /** The opened run, or the summary of this skipped one when another has the slot. */
    public synchronized Object start(String trigger, Instant now, Opening opening) {
        Cycle busy = running.get();
        String why = busy != null ? prefix + "run " + busy.runId() + " was still running"
                : lease.acquire(name).map(h -> prefix + h.describe() + " was still running").orElse(null);
        if (why != null) {
            return skip(trigger, now, why);
        }
        try {
            // a run taken over ended when the lease was taken: this one starts no earlier
            Cycle cycle = opening.open(lease.takenAt(name).filter(now::isBefore).orElse(now));
            lease.attach(name, cycle.runId());
            long epoch = lease.epoch(name);
            cycle.fencedBy(() -> lease.check(name, epoch));
            running.set(cycle);
            return cycle;
        } catch (RuntimeException e) {
            lease.release(name);
            throw e;
        }
    }

    /** The run ended: the slot is free again, here and for every process on the store. */
    public synchronized void end(Cycle cycle) {
        if (running.compareAndSet(cycle, null)) {
            try {
                lease.release(name);
            } catch (RuntimeException e) {
                // the store is away: the lease stays ours in the store, and our next run takes it again (RunLease.acquire)
                LOG.warn("{}run {}: the run lease could not be given back: {}", prefix, cycle.runId(), e.getMessage());
            }
        }
    }

    /** The run going on in this process, or null. */
    public Cycle current() {
        return running.get();
    }

    /** Waits until no run of this kind goes on in any process of the store, at most {@code max}; whether none does. */
    public boolean awaitFree(Duration max) throws InterruptedException {
        return lease.awaitFree(name, max);
    }

    private CycleSummary skip(String trigger, Instant now, String why) {
        long id = runs.start(trigger, CycleSummary.SKIPPED_OVERLAP, now, null, null, why);
        CycleSummary s = new CycleSummary(id, CycleSummary.SKIPPED_OVERLAP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, why);
        runs.finish(s, now, null);
        LOG.warn("Run fire ({}) skipped: {}", trigger, why);
        return s;
    }
}
