package io.erpsync.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The busy-lane rule of one run: per lane, the segment batches still filling (in segment-batches) and
 * the batches handed to it and not yet through it. After each chunk of rows the cycle reads, a lane
 * with nothing handed to it takes the fullest batch filling for one of its own segments at once,
 * however few rows it holds, instead of waiting for a segment to fill its read: the lanes work from
 * the first rows (routes/sync-cycle.camel.yaml completes those groups in segment-batches). Since a segment keeps its lane,
 * its batches still go in order, one at a time, and an item is never in two requests at once.
 * The same counts are the read's back-pressure ({@link LaneRoom}): the run waits before its next rows
 * while one of its lanes holds more batches than it has room for.
 */
public final class LaneLoads {
    private final Map<String, Set<Batch>> filling = new LinkedHashMap<>();
    private final Map<String, Set<Batch>> handed = new HashMap<>();

    /** In the order the batches began (a Batch is equal only to itself). */
    private static Set<Batch> identitySet() {
        return new LinkedHashSet<>();
    }

    /** A segment batch began filling. */
    public synchronized void filling(Batch batch) {
        filling.computeIfAbsent(batch.lane(), l -> identitySet()).add(batch);
    }

    /** A segment batch is complete (full, by the interval, the flush or the busy-lane rule) and goes to its lane. */
    public synchronized void handed(Batch batch) {
        Set<Batch> f = filling.get(batch.lane());
        if (f != null && f.remove(batch) && batch.size() > 0) {
            handed.computeIfAbsent(batch.lane(), l -> identitySet()).add(batch);
        }
    }

    /** The lane is through with the batch (a lock round's or a hand-made batch was never handed: nothing changes). */
    public synchronized void through(Batch batch) {
        Set<Batch> h = handed.get(batch.lane());
        if (h != null && h.remove(batch)) {
            notifyAll();
        }
    }

    /** Whether the lane has nothing handed to it that it has not gone through. */
    public synchronized boolean idle(String lane) {
        Set<Batch> h = handed.get(lane);
        return h == null || h.isEmpty();
    }

    /** The first lane holding more than {@code most} batches handed to it and not through it, or null. */
    public synchronized String fullLane(int most) {
        for (var e : handed.entrySet()) {
            if (e.getValue().size() > most) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * Waits, at most {@code max}, while a lane holds more than {@code most} batches handed to it and not
     * through it; the lane still that full after {@code max}, or null once every lane has room.
     */
    public synchronized String awaitRoom(int most, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        String lane = fullLane(most);
        while (lane != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return lane;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
            lane = fullLane(most);
        }
        return null;
    }

    /** Every batch still filling, by its label, for the end of the run's read (each then goes to its lane). */
    public synchronized List<String> stillFilling() {
        List<String> out = new ArrayList<>();
        filling.values().forEach(f -> f.forEach(b -> out.add(b.label())));
        return out;
    }

    /**
     * The batches that go to their lanes now, by their labels (their correlation in segment-batches):
     * for each lane with nothing handed to it, the fullest batch filling for it (the first on a tie) that
     * holds at least one whole write (a smaller one would cost a short write and a read more: it fills on).
     */
    public synchronized List<String> takenNow() {
        List<String> out = new ArrayList<>();
        for (var e : filling.entrySet()) {
            if (!idle(e.getKey())) {
                continue;
            }
            Batch fullest = null;
            for (Batch b : e.getValue()) {
                if (b.size() >= b.cycle().batchSize() && (fullest == null || b.size() > fullest.size())) {
                    fullest = b;
                }
            }
            if (fullest != null) {
                out.add(fullest.label());
            }
        }
        return out;
    }
}
