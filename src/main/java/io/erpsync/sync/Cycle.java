package io.erpsync.sync;

import io.erpsync.core.CycleSummary;
import io.erpsync.core.Run;
import io.erpsync.gate.JobGate;
import io.erpsync.store.InFlightItems;
import io.erpsync.store.LeaseLost;
import io.erpsync.wms.StockLevel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One running cycle: its counters, the newest WMS timestamp it read, and whether every item it
 * accepted has reached an outcome (updated, unchanged, parked, deferred, or collapsed into a newer row).
 * Shared by the threads that work on its batches.
 */
public final class Cycle implements Run {
    public static final String REPLAY = "REPLAY";

    private final long runId;
    private final String trigger;
    private final Instant startedAt;
    private final int batchSize;
    private final Instant watermarkFrom;

    final AtomicInteger read = new AtomicInteger();
    final AtomicInteger changed = new AtomicInteger();
    final AtomicInteger unchanged = new AtomicInteger();
    final AtomicInteger updated = new AtomicInteger();
    final AtomicInteger conflicts = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    final AtomicInteger parked = new AtomicInteger();
    final AtomicInteger deferred = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition settledChanged = lock.newCondition();
    private int accepted;
    private int settled;
    private Instant newestRead;
    private volatile String failure;
    private volatile String skipStatus;
    private Instant oldestDeferred;
    private volatile Set<String> hotItems = Set.of();
    private final Map<String, PendingItem> lockWaiting = new ConcurrentHashMap<>();
    private final Set<String> openExceptions = ConcurrentHashMap.newKeySet();
    /** After an unclean run: each item's newest row time in this read, so only that row is written. */
    private volatile Map<String, Instant> newestRows;
    final AtomicInteger superseded = new AtomicInteger();
    private final StockOuts stockOuts = new StockOuts();
    private int stockOutBatchesOut;
    private long stockOutsDeadline;
    private volatile boolean fullCompare;

    /** Throws {@link LeaseLost} when the run no longer holds its lease (RunLease#check). */
    public interface LeaseCheck {
        void check();
    }

    private volatile LeaseCheck leaseCheck = () -> { };
    private volatile String leaseLost;
    private final Object calls = new Object();
    private int callsInFlight;
    private final AtomicInteger recordedInFlight = new AtomicInteger();
    private volatile Map<String, List<InFlightItems.Orphan>> repairs = Map.of();
    private final Set<String> repairsSeen = ConcurrentHashMap.newKeySet();

    public Cycle(long runId, String trigger, Instant startedAt, int batchSize, Instant watermarkFrom) {
        this(runId, trigger, startedAt, batchSize, watermarkFrom, null);
    }

    /** A run for one target's line ({@code null}: the only target, whose beans the routes name). */
    Cycle(long runId, String trigger, Instant startedAt, int batchSize, Instant watermarkFrom, TargetLine line) {
        this.line = line;
        this.runId = runId;
        this.trigger = trigger;
        this.startedAt = startedAt;
        this.batchSize = batchSize;
        this.watermarkFrom = watermarkFrom;
    }

    private final TargetLine line;

    @Override
    public long runId() {
        return runId;
    }

    /** The target's own beans this run works with; null when only one target is configured. */
    public TargetLine line() {
        return line;
    }

    @Override
    public String target() {
        return line == null ? DEFAULT_TARGET : line.name();
    }

    /** The call route of this run's target (direct:erp-call for the ERP). */
    public String callUri() {
        return line == null ? TargetLine.ERP_CALL : line.callUri();
    }

    /** A replay of parked items: an operator's explicit request, not held back by the circuit breaker. */
    public boolean isReplay() {
        return REPLAY.equals(trigger);
    }

    /**
     * The items of this run that wait for a lock round, by key: a newer WMS row of one of them joins it
     * instead of racing it to the ERP (see {@link Lanes#enter}).
     */
    public Map<String, PendingItem> lockWaiting() {
        return lockWaiting;
    }

    Instant startedAt() {
        return startedAt;
    }

    /** The cycle's stock-outs, sent first (sync.priority.*). */
    StockOuts stockOuts() {
        return stockOuts;
    }

    /** Whether this cycle compares every WMS row, not only those changed since the watermark. */
    boolean fullCompare() {
        return fullCompare;
    }

    void fullCompare(boolean full) {
        this.fullCompare = full;
    }

    /** {@code n} batches of stock-outs went to their lanes; the cycle's other batches wait at most {@code maxWait} for their first tries. */
    void stockOutBatchesSent(int n, Duration maxWait) {
        lock.lock();
        try {
            stockOutBatchesOut += n;
            stockOutsDeadline = System.nanoTime() + maxWait.toNanos();
        } finally {
            lock.unlock();
        }
    }

    /** A batch of stock-outs had its first try: each of its items has an outcome or waits for a lock round. */
    void stockOutBatchTried() {
        lock.lock();
        try {
            stockOutBatchesOut--;
            settledChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every batch of stock-outs had its first try (Lanes#enter, for any other batch), until
     * the deadline stockOutBatchesSent set or until the run fails; whether they all did.
     */
    boolean awaitStockOutBatches() throws InterruptedException {
        lock.lock();
        try {
            while (stockOutBatchesOut > 0 && failure == null) {
                long left = stockOutsDeadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                settledChanged.awaitNanos(left);
            }
            return stockOutBatchesOut <= 0;
        } finally {
            lock.unlock();
        }
    }

    public int batchSize() {
        return batchSize;
    }

    public Instant watermarkFrom() {
        return watermarkFrom;
    }

    private final List<Long> claimedRows = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The run (a replay, or a BOM run for the changes that waited) claimed this exception row: at its end the row has an outcome or is opened again. */
    public void claimed(long exceptionId) {
        claimedRows.add(exceptionId);
    }

    public List<Long> claimedRows() {
        synchronized (claimedRows) {
            return List.copyOf(claimedRows);
        }
    }

    private final LaneLoads laneLoads = new LaneLoads();
    private final List<SegmentRows> rests = new ArrayList<>();

    /** Rows a batch left when it was taken or filled (SegmentBatches), to start their segment's next batch. */
    synchronized void rest(SegmentRows rows) {
        rests.add(rows);
    }

    /**
     * The rows batches of {@code key} left and no batch took yet, in order: the segment's next batch starts
     * with them, before any newer row of the segment joins it (SegmentBatches#aggregate).
     */
    synchronized List<StockLevel> takeRest(String key) {
        List<StockLevel> out = new ArrayList<>();
        for (var it = rests.iterator(); it.hasNext(); ) {
            SegmentRows r = it.next();
            if (r.key().equals(key)) {
                out.addAll(r.levels());
                it.remove();
            }
        }
        return out;
    }

    /** The segments with rows left that no batch took yet (the read's end starts a batch for each: SegmentBatches#tails). */
    synchronized List<String> restKeys() {
        return rests.stream().map(SegmentRows::key).distinct().toList();
    }

    /** The rows batches left since last asked, each to its segment's next batch. */
    synchronized List<SegmentRows> rests() {
        List<SegmentRows> out = List.copyOf(rests);
        rests.clear();
        return out;
    }

    /** What each lane of this run holds and which segment batches fill for it (the busy-lane rule). */
    public LaneLoads laneLoads() {
        return laneLoads;
    }

    private final Map<String, String> laneBySegment = new ConcurrentHashMap<>();
    private final int[] segmentsPerLane = new int[64];

    /**
     * The lane of a segment for this run: the one it was given when first seen, or else the lane with
     * the fewest segments so far (the lowest number on a tie), so the lanes share the segments.
     */
    public String laneOf(String segment, int lanes) {
        String lane = laneBySegment.get(segment);
        return lane != null ? lane : laneBySegment.computeIfAbsent(segment, s -> {
            synchronized (segmentsPerLane) {
                int least = 0;
                for (int i = 1; i < lanes; i++) {
                    if (segmentsPerLane[i] < segmentsPerLane[least]) {
                        least = i;
                    }
                }
                segmentsPerLane[least]++;
                return String.valueOf(least);
            }
        });
    }

    /**
     * Items (item|organization) with an exception row not yet closed: read at the start, and every item
     * this run parks. Only these have a row to close when they reach the ERP (runs never overlap).
     */
    public Set<String> openExceptions() {
        return openExceptions;
    }

    /** Items (item|organization) that met a lock or stale conflict in the last cycles: they go alone. */
    public void hotItems(Set<String> keys) {
        this.hotItems = Set.copyOf(keys);
    }

    public boolean isHot(String key) {
        return hotItems.contains(key);
    }

    public int hotCount() {
        return hotItems.size();
    }

    /** Rows were read from the WMS (valid or not); the newest of their timestamps may move the watermark. */
    public void rowsRead(int n, Instant updatedAt) {
        read.addAndGet(n);
        if (updatedAt != null) {
            lock.lock();
            try {
                if (newestRead == null || updatedAt.isAfter(newestRead)) {
                    newestRead = updatedAt;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether this read writes only each item's newest row (the last cycle ended short of its rows). */
    public boolean newestRowsOnly() {
        return newestRows != null;
    }

    void newestRows(Map<String, Instant> newest) {
        this.newestRows = newest;
    }

    /** A row with a newer row of the same item further on in this read: it is not written. */
    boolean superseded(StockLevel level) {
        if (hasNewerRow(level)) {
            superseded.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Whether this read writes only newest rows and holds a newer row of the item (not counted). */
    boolean hasNewerRow(StockLevel level) {
        Map<String, Instant> newest = newestRows;
        if (newest == null) {
            return false;
        }
        Instant last = newest.get(level.key());
        return last != null && level.updatedAt().isBefore(last);
    }

    /** Valid rows entered a batch; the cycle is not finished until each has an outcome. */
    public void accepted(int n) {
        lock.lock();
        try {
            accepted += n;
        } finally {
            lock.unlock();
        }
    }

    /** {@code n} accepted rows reached an outcome. */
    public void settled(int n) {
        lock.lock();
        try {
            settled += n;
            settledChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every accepted row has an outcome; false when the time ran out first. */
    /**
     * Waits until every accepted row has an outcome, at most {@code timeout}; once the run has
     * failed, at most the failure's grace from the failure on (only batches on their way finish).
     */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (settled < accepted) {
                if (failure != null) {
                    deadline = Math.min(deadline, failedAtNanos + failureGrace.toNanos());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                settledChanged.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public int unsettled() {
        lock.lock();
        try {
            return accepted - settled;
        } finally {
            lock.unlock();
        }
    }

    /** The cycle decided not to read (a locking job still runs): recorded with this status, watermark kept. */
    public void skip(String status, String reason) {
        skipStatus = status;
        skipReason = reason;
    }

    private volatile String skipReason;

    public String skipStatus() {
        return skipStatus;
    }

    public String skipReason() {
        return skipReason;
    }

    private volatile JobGate.Check gate;

    /** The job gate's check of this cycle, asked beside its WMS read; a run without one (a replay) passes. */
    void gate(JobGate.Check check) {
        gate = check;
    }

    /**
     * Waits for the job gate's verdict; whether the cycle's items may go to the ERP (nothing, read or
     * write, goes before). A skip marks the cycle SKIPPED_JOB_RUNNING with the gate's reason; a run that
     * fails while the gate still waits (erp-sync stopping) abandons the gate.
     */
    public boolean gatePassed() throws InterruptedException {
        JobGate.Check c = gate;
        if (c == null) {
            return true;
        }
        while (!c.awaitVerdict(failed() ? 0 : 100)) {
            if (failed()) {
                c.abandon("the run ended before the gate's verdict: " + failure);
            }
        }
        if (c.skipping() && !failed()) {
            skip(CycleSummary.SKIPPED_JOB_RUNNING, c.reason());
        }
        return c.passed();
    }

    /** Rows left for the next cycle (the breaker is open): the watermark must stay below the oldest. */
    public void deferred(Instant updatedAt, int n) {
        deferred.addAndGet(n);
        lock.lock();
        try {
            if (updatedAt != null && (oldestDeferred == null || updatedAt.isBefore(oldestDeferred))) {
                oldestDeferred = updatedAt;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where the watermark may move: the newest row read, but never past a deferred row, so that the
     * next cycle reads it again (wms.query takes rows updated after the watermark).
     */
    public Instant watermarkTo() {
        lock.lock();
        try {
            if (skipStatus != null || newestRead == null) {
                return null;
            }
            if (oldestDeferred != null) {
                Instant justBefore = oldestDeferred.minusNanos(1000);
                return justBefore.isBefore(newestRead) ? justBefore : newestRead;
            }
            return newestRead;
        } finally {
            lock.unlock();
        }
    }

    private long failedAtNanos;
    private Duration failureGrace = Duration.ZERO;

    /** The first failure wins; once failed, batches stop calling the ERP and the watermark stays. */
    public void fail(String reason) {
        fail(reason, Duration.ofSeconds(10));
    }

    /** A failure after which batches on their way get {@code grace} to finish before the run is recorded. */
    public void fail(String reason, Duration grace) {
        lock.lock();
        try {
            if (failure == null && reason != null) {
                failure = reason;
                failedAtNanos = System.nanoTime();
                failureGrace = grace;
                settledChanged.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean failed() {
        return failure != null;
    }

    public String failure() {
        return failure;
    }

    /** The run's requests go to the ERP only while {@code check} passes (RunSlot: its lease at its epoch). */
    void fencedBy(LeaseCheck check) {
        this.leaseCheck = check;
    }

    /**
     * Right before a request goes to the ERP: throws {@link LeaseLost} (and the run fails at once) when
     * the run lost its lease; otherwise the request counts as on its way until {@link #afterErpCall}.
     */
    @Override
    public void beforeErpCall() {
        // the check (a store write when the last heartbeat is old) runs outside the lock the lanes share;
        // under the lock only the loss found meanwhile is looked at, so none can start once it is known
        try {
            leaseCheck.check();
        } catch (LeaseLost e) {
            leaseLost(e.getMessage());
            throw e;
        }
        synchronized (calls) {
            if (leaseLost != null) {
                throw new LeaseLost(leaseLost);
            }
            callsInFlight++;
        }
    }

    @Override
    public void afterErpCall() {
        synchronized (calls) {
            callsInFlight--;
            calls.notifyAll();
        }
    }

    /** Why the run lost its lease, or null while it holds it. */
    public String leaseLost() {
        return leaseLost;
    }

    /** The run lost its lease (found by the lease check, or when the store refused to record its end). */
    void leaseLost(String why) {
        synchronized (calls) {
            if (leaseLost == null) {
                leaseLost = why;
            }
        }
        fail("run " + runId + " stopped: " + why, Duration.ZERO);
    }

    /** Waits until no request of the run is on its way to the ERP, at most {@code max}; whether none is. */
    boolean awaitNoErpCall(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (calls) {
            while (callsInFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(calls, left);
            }
            return true;
        }
    }

    /**
     * Of the items about to be written, those not yet recorded in flight (each pending item once: the
     * mark is on the item, so the run keeps nothing per item it wrote, however many rows it reads).
     */
    List<InFlightItems.Item> newInFlight(Collection<PendingItem> items) {
        List<InFlightItems.Item> out = new ArrayList<>();
        for (PendingItem p : items) {
            if (p.markRecordedInFlight()) {
                StockLevel l = p.level();
                out.add(new InFlightItems.Item(l.itemNumber(), l.organizationCode(), l.segment()));
            }
        }
        recordedInFlight.addAndGet(out.size());
        return out;
    }

    /** How many items this run recorded in flight. */
    int recordedInFlight() {
        return recordedInFlight.get();
    }

    /** Items left in flight by runs that lost their lease: this run compares them again. */
    void repairs(List<InFlightItems.Orphan> orphans) {
        Map<String, List<InFlightItems.Orphan>> byKey = new LinkedHashMap<>();
        for (InFlightItems.Orphan o : orphans) {
            byKey.computeIfAbsent(o.item().key(), k -> new ArrayList<>()).add(o);
        }
        this.repairs = byKey;
    }

    Map<String, List<InFlightItems.Orphan>> repairs() {
        return repairs;
    }

    /** A row of the read names an item to repair: the read itself brings its newest row. */
    void seenInRead(String key) {
        if (!repairs.isEmpty() && repairs.containsKey(key)) {
            repairsSeen.add(key);
        }
    }

    /** The items to repair that the read did not bring: their newest WMS row is read one by one. */
    List<InFlightItems.Item> repairsUnseen() {
        List<InFlightItems.Item> out = new ArrayList<>();
        repairs.forEach((k, v) -> {
            if (!repairsSeen.contains(k)) {
                out.add(v.get(0).item());
            }
        });
        return out;
    }

    @Override
    public void requestSent() {
        requests.incrementAndGet();
    }

    public void counted(Outcome outcome, int n) {
        switch (outcome) {
            case UNCHANGED -> unchanged.addAndGet(n);
            case UPDATED -> updated.addAndGet(n);
            case PARKED -> parked.addAndGet(n);
            case CHANGED -> changed.addAndGet(n);
            case CONFLICT -> conflicts.addAndGet(n);
            case RETRIED -> retried.addAndGet(n);
        }
    }

    public enum Outcome { CHANGED, UNCHANGED, UPDATED, PARKED, CONFLICT, RETRIED }

    public CycleSummary summary(String status, Instant now) {
        return new CycleSummary(runId, status, read.get(), changed.get(), unchanged.get(), updated.get(), conflicts.get(),
                retried.get(), parked.get(), deferred.get(), requests.get(), Duration.between(startedAt, now).toMillis(),
                batchSize, failure != null ? failure : skipReason, stockOuts.figures());
    }
}
