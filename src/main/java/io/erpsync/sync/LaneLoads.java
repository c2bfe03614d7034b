package io.erpsync.sync;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The lanes of one run: per lane, the batches handed to it and not yet through it, and the segment
 * batches still filling (in segment-batches).
 * <p>
 * A segment's batch takes its lane when it is handed over, not when it begins filling ({@link #ANY}),
 * and a segment has one batch in a lane at a time: a batch whose segment's previous one is not through
 * yet waits here, and goes when that one is through ({@link #through}). So a segment's batches go in
 * order, one at a time, and an item is never in two requests at once, and each goes to the lane with
 * the fewest rows handed to it: the lanes share the work as one queue would, however unequal the
 * segments (issue 23: with a lane fixed per segment, 10 segments over 4 lanes left two lanes idle for a
 * fifth of the cycle). A segment that handed items to a lock round keeps its lane for the rest of the
 * run: its newer rows meet the round's items in that lane (Lanes#enter).
 * <p>
 * After each chunk of rows the cycle reads, a lane with nothing handed to it takes the fullest batch
 * filling that may go to it at once, instead of waiting for a segment to fill its read: the lanes work
 * from the first rows (routes/sync-cycle.camel.yaml completes those groups in segment-batches).
 * The same counts are the read's back-pressure ({@link LaneRoom}): the run waits before its next rows
 * while one of its lanes holds more batches than it has room for, its shared lanes together more than
 * {@link #SHARED_DEPTH} each, or its segments more waiting here than its lanes have room for.
 */
public final class LaneLoads {
    /** The lane (after the target's lane prefix) of a segment batch until it is handed over: any of the target's lanes. */
    public static final String ANY = "*";
    /** why: one batch worked on and two waiting per lane keep each lane busy while the read fills the next (two: 1,268 requests at 50 segments against 1,215, bench/RESULTS.md). */
    static final int SHARED_DEPTH = 3;
    private final Map<String, Set<Batch>> filling = new LinkedHashMap<>();
    private final Map<String, Set<Batch>> handed = new HashMap<>();
    /** Each segment's batch in a lane (handed, not through), and the batches of the segment waiting for it. */
    private final Map<String, Batch> inLane = new HashMap<>();
    private final Map<String, Deque<Batch>> waiting = new HashMap<>();
    private int waitingCount;
    /** The lane of each segment that handed items to a lock round. */
    private final Map<String, String> keptLane = new HashMap<>();
    private List<String> shared = List.of();

    /** In the order the batches began (a Batch is equal only to itself). */
    private static Set<Batch> identitySet() {
        return new LinkedHashSet<>();
    }

    /** A segment batch began filling. */
    public synchronized void filling(Batch batch) {
        filling.computeIfAbsent(batch.lane(), l -> identitySet()).add(batch);
    }

    /**
     * A segment batch is complete (full, by the interval, the flush or the busy-lane rule) and goes to its
     * lane, which now counts it as its own; a batch of {@link #ANY} lane takes one of {@code lanes} here,
     * or waits for its segment's batch in a lane ({@link Batch#waitsForItsSegment()}: it is not sent now).
     */
    public synchronized void handed(Batch batch, List<String> lanes) {
        Set<Batch> f = filling.get(batch.lane());
        if (f == null || !f.remove(batch) || batch.size() == 0) {
            return;
        }
        if (!batch.lane().endsWith(ANY)) {
            handed.computeIfAbsent(batch.lane(), l -> identitySet()).add(batch);
            return;
        }
        shared = lanes;
        if (inLane.containsKey(batch.label())) {
            batch.waitForItsSegment();
            waiting.computeIfAbsent(batch.label(), s -> new ArrayDeque<>()).add(batch);
            waitingCount++;
        } else {
            toLane(batch);
        }
    }

    private void toLane(Batch batch) {
        String lane = keptLane.get(batch.label());
        if (lane == null) {
            lane = shared.stream().min(Comparator.comparingInt(this::rowsHanded)).orElseThrow();
        }
        batch.takeLane(lane);
        inLane.put(batch.label(), batch);
        handed.computeIfAbsent(lane, l -> identitySet()).add(batch);
    }

    private int rowsHanded(String lane) {
        Set<Batch> h = handed.get(lane);
        return h == null ? 0 : h.stream().mapToInt(Batch::size).sum();
    }

    /**
     * A stock-out of the segment {@code segment} (a batch key of SegmentBatches) waits for the lock round of
     * {@code lane}: the segment's batches go to that lane for the rest of the run, behind the round, so a newer
     * row of the item never goes beside it. A segment that kept a lane already keeps it.
     */
    public synchronized void keepsLane(String segment, String lane) {
        if (segment.contains(ANY)) {
            keptLane.putIfAbsent(segment, lane);
        }
    }

    /** The batch's locked items wait for its lane's lock round: the segment keeps that lane for the rest of the run. */
    public synchronized void keepsItsLane(Batch batch) {
        if (inLane.get(batch.label()) == batch) {
            keptLane.put(batch.label(), batch.lane());
        }
    }

    /**
     * The lane is through with the batch (a lock round's or a hand-made batch was never handed: nothing
     * changes). The next batch of its segment waiting here, if any, takes its lane now: the caller sends it.
     */
    public synchronized List<Batch> through(Batch batch) {
        Set<Batch> h = handed.get(batch.lane());
        if (h == null || !h.remove(batch)) {
            return List.of();
        }
        notifyAll();
        if (inLane.get(batch.label()) != batch) {
            return List.of();
        }
        inLane.remove(batch.label());
        Deque<Batch> next = waiting.get(batch.label());
        if (next == null) {
            return List.of();
        }
        Batch released = next.poll();
        if (next.isEmpty()) {
            waiting.remove(batch.label());
        }
        waitingCount--;
        toLane(released);
        return List.of(released);
    }

    /** Whether the lane has nothing handed to it that it has not gone through. */
    public synchronized boolean idle(String lane) {
        Set<Batch> h = handed.get(lane);
        return h == null || h.isEmpty();
    }

    /**
     * The first lane holding more than {@code most} batches handed to it and not through it; or, once the
     * lanes segments share hold more than {@link #SHARED_DEPTH} each, or more than {@code most} each wait
     * for their segment's batch, the fullest of them; null while there is room.
     */
    public synchronized String fullLane(int most) {
        for (var e : handed.entrySet()) {
            if (e.getValue().size() > most) {
                return e.getKey();
            }
        }
        int held = 0;
        String fullest = null;
        for (String lane : shared) {
            Set<Batch> h = handed.getOrDefault(lane, Set.of());
            held += h.size();
            if (fullest == null || h.size() > handed.getOrDefault(fullest, Set.of()).size()) {
                fullest = lane;
            }
        }
        return held > SHARED_DEPTH * shared.size() || waitingCount > most * shared.size() ? fullest : null;
    }

    /**
     * Waits, at most {@code max}, while a lane holds more than {@code most} batches handed to it and not
     * through it (or the shared lanes more than SHARED_DEPTH each); the lane still that full after {@code max}, or null once there is room.
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
     * The batches that go to their lanes now, by their labels (their correlation in segment-batches): for
     * each lane of {@code lanes} with nothing handed to it, the fullest batch filling that may go to it (the
     * first on a tie) and holds at least one whole write (a smaller one would cost a short write and a read
     * more: it fills on). A segment batch of any lane may go to an idle one unless its segment has a batch
     * in a lane (it would only wait for it) or keeps another lane.
     */
    public synchronized List<String> takenNow(List<String> lanes) {
        List<String> out = new ArrayList<>();
        List<Batch> anyLane = new ArrayList<>();
        filling.forEach((lane, batches) -> {
            if (lane.endsWith(ANY)) {
                anyLane.addAll(batches);
            }
        });
        for (String lane : lanes) {
            if (!idle(lane)) {
                continue;
            }
            Batch fullest = null;
            for (Batch b : filling.getOrDefault(lane, Set.of())) {
                fullest = fuller(fullest, b);
            }
            for (Batch b : lane.endsWith(SegmentBatches.HOT_LANE) ? List.<Batch>of() : anyLane) {
                String kept = keptLane.get(b.label());
                if (!inLane.containsKey(b.label()) && (kept == null || kept.equals(lane))) {
                    fullest = fuller(fullest, b);
                }
            }
            if (fullest != null) {
                out.add(fullest.label());
                anyLane.remove(fullest);
            }
        }
        return out;
    }

    private static Batch fuller(Batch fullest, Batch b) {
        return b.size() >= b.cycle().batchSize() && (fullest == null || b.size() > fullest.size()) ? b : fullest;
    }
}
