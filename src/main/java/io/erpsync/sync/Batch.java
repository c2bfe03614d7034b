package io.erpsync.sync;

import io.erpsync.core.FailureClass;
import io.erpsync.wms.StockLevel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Items that go to the ERP together, in one lane: a segment's batch (newest WMS
 * row per item), a hot batch, a lane's lock-retry round, or replayed items. Each item is settled
 * exactly once: with an outcome (updated, unchanged, parked, deferred), or by leaving the batch for the
 * lane's next lock round. Worked by one lane thread at a time.
 */
public final class Batch {
    private final Cycle cycle;
    private final String label;
    private volatile String lane;
    private final int lockRound;
    private final int stockOutWrites;
    private final Map<String, PendingItem> items = new LinkedHashMap<>();
    private final List<PendingItem> locked = new ArrayList<>();
    private Map<String, PendingItem> inFlight = Map.of();
    private Duration lockRetryAfter;
    private int unreadableAnswers;
    /** A probing lock round's probe per lock owner (LockRounds#probes), once its write went out. */
    private final Map<String, PendingItem> probes = new LinkedHashMap<>();
    private PendingItem probeInFlight;
    private final Verdicts verdicts = new Verdicts();

    /**
     * @param label     what the batch is, for the log: its segment, "hot|M1", "lock round 2 of lane 1"
     * @param lockRound 0 for a first try; n for the n-th lock-retry round
     */
    public Batch(Cycle cycle, String label, String lane, int lockRound) {
        this(cycle, label, lane, lockRound, 0);
    }

    private Batch(Cycle cycle, String label, String lane, int lockRound, int stockOutWrites) {
        this.cycle = cycle;
        this.label = label;
        this.lane = lane;
        this.lockRound = lockRound;
        this.stockOutWrites = stockOutWrites;
    }

    /**
     * A batch of stock-outs (sync.priority.*), sent before the cycle's other batches: read wide, written
     * in writes of {@code writeSize} parts (sync.priority.batch-size), so a locked part rolls back few others.
     */
    static Batch ofStockOuts(Cycle cycle, String label, String lane, int writeSize) {
        return new Batch(cycle, label, lane, 0, Math.max(1, writeSize));
    }

    /** Whether this is a batch of stock-outs, sent first. */
    public boolean stockOuts() {
        return stockOutWrites > 0;
    }

    /** The parts of each write of a batch of stock-outs (0 for any other batch). */
    int stockOutWrites() {
        return stockOutWrites;
    }

    public Cycle cycle() {
        return cycle;
    }

    public String label() {
        return label;
    }

    public String lane() {
        return lane;
    }

    /** A segment batch of any lane takes its lane as it is handed over, or once its segment's previous batch is through (LaneLoads). */
    void takeLane(String lane) {
        this.lane = lane;
    }

    private volatile boolean waitsForItsSegment;

    /** Handed over while its segment's previous batch was in a lane: it goes when that one is through, sent by that lane. */
    void waitForItsSegment() {
        waitsForItsSegment = true;
    }

    /** Whether the hand-off leaves this batch to its segment's previous batch's lane (LaneLoads#through). */
    public boolean waitsForItsSegment() {
        return waitsForItsSegment;
    }

    public int lockRound() {
        return lockRound;
    }

    /** Whether a row of the item is here already (a newer row of it joins this batch whatever its size). */
    boolean holds(StockLevel level) {
        return items.containsKey(level.key());
    }

    /** Adds a row; a row of an item already here keeps the newer of the two, and the other counts settled. */
    public void add(StockLevel level) {
        String key = level.key();
        PendingItem existing = items.get(key);
        if (existing == null) {
            PendingItem item = new PendingItem(level);
            if (stockOuts()) {
                item.sentFirst();
            }
            items.put(key, item);
        } else {
            existing.newer(level);
            cycle.settled(1);
        }
    }

    /**
     * A lock round takes over waiting items, with their history; each is read again, as the job that
     * held it may have changed it.
     */
    void add(List<PendingItem> waiting) {
        for (PendingItem item : waiting) {
            item.snapshot(null);
            items.put(item.key(), item);
        }
    }

    public int size() {
        return items.size() + locked.size();
    }

    /**
     * A filling batch taken early keeps its first {@code keep} items; the rows of the others are returned, to
     * start the segment's next batch (a take costs no short write: issue 23).
     */
    List<StockLevel> keepFirst(int keep) {
        List<StockLevel> rest = new ArrayList<>();
        var it = items.values().iterator();
        for (int i = 0; it.hasNext(); i++) {
            PendingItem item = it.next();
            if (i >= keep) {
                rest.add(item.level());
                it.remove();
            }
        }
        return rest;
    }

    /** The items still without an outcome in this batch (locked ones that left it excluded). */
    public Collection<PendingItem> unsettled() {
        return List.copyOf(items.values());
    }

    /**
     * The same items as {@link #unsettled()}, without a copy, for a look that settles none of them while
     * it goes (asked several times per request of every batch).
     */
    Collection<PendingItem> unsettledView() {
        return Collections.unmodifiableCollection(items.values());
    }

    /** Whether some item still without an outcome here matches. */
    boolean anyUnsettled(Predicate<PendingItem> test) {
        for (PendingItem item : items.values()) {
            if (test.test(item)) {
                return true;
            }
        }
        return false;
    }

    /** The item has its outcome, or left without one (a waiting item took its newer row); the run counts it settled. */
    void settle(PendingItem item) {
        if (items.remove(item.key()) != null) {
            cycle.settled(1);
        }
    }

    /** Every item still here is settled without an outcome: the run failed, or they were deferred. */
    void settleAll() {
        int n = items.size() + locked.size();
        items.clear();
        locked.clear();
        cycle.settled(n);
    }

    /** A locked item leaves the batch for the lane's next lock round; it stays unsettled until that round settles it. */
    void lockedOut(PendingItem item, Duration retryAfter) {
        if (items.remove(item.key()) != null) {
            locked.add(item);
            if (retryAfter != null && (lockRetryAfter == null || retryAfter.compareTo(lockRetryAfter) > 0)) {
                lockRetryAfter = retryAfter;
            }
        }
    }

    /** The items waiting for the next lock round, handed over once: the batch no longer answers for them. */
    List<PendingItem> takeLocked() {
        List<PendingItem> out = List.copyOf(locked);
        locked.clear();
        return out;
    }

    boolean hasLocked() {
        return !locked.isEmpty();
    }

    /** The longest Retry-After the ERP sent with this batch's locks, if any. */
    Duration lockRetryAfter() {
        return lockRetryAfter;
    }

    /**
     * The next probe of a probing lock round: a ready item (a version in hand, waiting for nothing) of a
     * lock owner not probed yet in this round, now that owner's probe; null once every owner had one.
     */
    PendingItem nextProbe() {
        for (PendingItem item : items.values()) {
            if (item.snapshot() != null && !item.wmsRowNeeded() && !probes.containsKey(item.lockOwner())) {
                probes.put(item.lockOwner(), item);
                return item;
            }
        }
        return null;
    }

    /**
     * The item was the probe of {@code owner} (its owner before this answer), written alone, and met the lock again: the owner's other items still here leave for
     * the next lock round without a try, and are returned.
     */
    List<PendingItem> stillLocked(PendingItem probe, String owner, Duration retryAfter) {
        if (probes.get(owner) != probe) {
            return List.of();
        }
        List<PendingItem> untried = new ArrayList<>();
        for (PendingItem item : List.copyOf(items.values())) {
            if (item.lockOwner().equals(owner)) {
                lockedOut(item, retryAfter);
                untried.add(item);
            }
        }
        return untried;
    }

    /** Counts one more ERP answer this batch could not read; returns how many so far. */
    int unreadableAnswer() {
        return ++unreadableAnswers;
    }

    /** The parts of the write in flight, by part id. */
    Map<String, PendingItem> inFlight() {
        return inFlight;
    }

    void inFlight(Map<String, PendingItem> parts) {
        inFlight(parts, null);
    }

    /** The parts of the next write; {@code probe} when that write is a lock owner's probe written alone. */
    void inFlight(Map<String, PendingItem> parts, PendingItem probe) {
        inFlight = parts;
        probeInFlight = probe;
    }

    /** The probe the write in flight carries alone, or null: only its own answer decides for its owner's others. */
    PendingItem probeInFlight() {
        return probeInFlight;
    }

    /** The outcomes of this batch's updates that the circuit breaker will hear of when the batch is through. */
    static final class Verdicts {
        int landed;
        final List<FailureClass> failed = new ArrayList<>();
    }

    Verdicts verdicts() {
        return verdicts;
    }
}
