package io.erpsync.sync;

import io.erpsync.core.CycleSummary;
import io.erpsync.store.RunLease;
import io.erpsync.store.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kind of run at a time (stock cycles and replays, or BOM runs): in this process, and across
 * every process on the store through its {@link RunLease}. A run that finds the slot taken is
 * recorded as SKIPPED_OVERLAP, naming the run (and, elsewhere, the node) that has it.
 *
 * <p>With several targets (setting targets) each target's runs take the slot by their target's name:
 * one run per target at a time, all of them under the one lease, which the first run of a target
 * takes and the last one to end gives back. So the targets' cycles run at once, and a target that is
 * slow or down holds no other back; a run of a target that is still running is skipped.
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
    /** The runs going on in this process, by the key they took the slot with (their target's name). */
    private final Map<String, Cycle> running = new LinkedHashMap<>();
    /** The key of runs of one kind only (BOM runs, a single target's cycles and replays). */
    public static final String ONLY = "";

    /** {@code name}: the lease (RunLease.STOCK, RunLease.BOM); {@code prefix}: before "run N" where a skip names it ("", "BOM "). */
    public RunSlot(String name, String prefix, RunLease lease, SyncRuns runs) {
        this.name = name;
        this.prefix = prefix;
        this.lease = lease;
        this.runs = runs;
    }

    /** The opened run, or the summary of this skipped one when another has the slot. */
    public Object start(String trigger, Instant now, Opening opening) {
        return start(ONLY, runs, trigger, now, opening);
    }

    /**
     * The opened run, or the summary of this skipped one when a run of the same {@code key} has the
     * slot, or another process has the lease. A run of another key going on in this process holds the
     * lease: this one joins it, at its epoch. A skip is recorded in {@code ledger} (its target's runs).
     */
    public synchronized Object start(String key, SyncRuns ledger, String trigger, Instant now, Opening opening) {
        Cycle busy = running.get(key);
        if (busy == null && !running.isEmpty() && !lease.holds(name)) {
            // the lease was taken over while a run of another key went on: that run sends nothing more, nor does this one
            busy = running.values().iterator().next();
        }
        String why = busy != null ? prefix + "run " + busy.runId() + " was still running"
                : running.isEmpty() ? lease.acquire(name).map(h -> prefix + h.describe() + " was still running").orElse(null) : null;
        if (why != null) {
            return skip(ledger, trigger, now, why);
        }
        boolean first = running.isEmpty();
        try {
            // a run taken over ended when the lease was taken: this one starts no earlier
            Cycle cycle = opening.open(lease.takenAt(name).filter(now::isBefore).orElse(now));
            lease.attach(name, cycle.runId());
            long epoch = lease.epoch(name);
            cycle.fencedBy(() -> lease.check(name, epoch));
            running.put(key, cycle);
            return cycle;
        } catch (RuntimeException e) {
            if (first) {
                lease.release(name);
            }
            throw e;
        }
    }

    /** The run ended: its key is free again; once no run goes on, the slot is, here and for every process on the store. */
    public synchronized void end(Cycle cycle) {
        if (!running.values().remove(cycle)) {
            return;
        }
        try {
            if (running.isEmpty()) {
                lease.release(name);
            } else {
                // the lease names a run still going on, which a taker-over records as FAILED
                lease.attach(name, running.values().iterator().next().runId());
            }
        } catch (RuntimeException e) {
            // the store is away: the lease stays ours in the store, and our next run takes it again (RunLease.acquire)
            LOG.warn("{}run {}: the run lease could not be {}: {}", prefix, cycle.runId(), running.isEmpty() ? "given back" : "handed on",
                    e.getMessage());
        }
    }

    /** A run going on in this process (the first of them), or null. */
    public synchronized Cycle current() {
        return running.isEmpty() ? null : running.values().iterator().next();
    }

    /** Every run going on in this process (one per target at most). */
    public synchronized List<Cycle> running() {
        return new ArrayList<>(running.values());
    }

    /** Waits until no run of this kind goes on in any process of the store, at most {@code max}; whether none does. */
    public boolean awaitFree(Duration max) throws InterruptedException {
        return lease.awaitFree(name, max);
    }

    private static CycleSummary skip(SyncRuns runs, String trigger, Instant now, String why) {
        long id = runs.start(trigger, CycleSummary.SKIPPED_OVERLAP, now, null, null, why);
        CycleSummary s = new CycleSummary(id, CycleSummary.SKIPPED_OVERLAP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, why);
        runs.finish(s, now, null);
        LOG.warn("Run fire ({}) skipped: {}", trigger, why);
        return s;
    }
}
