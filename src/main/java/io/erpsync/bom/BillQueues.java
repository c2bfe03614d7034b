package io.erpsync.bom;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One queue per bill (routes/bom-lane.camel.yaml): at most one change of a bill is worked on at a
 * time, and the bill's other changes wait behind it in request order, also while it waits off its
 * lane for a lock round. The lane meanwhile goes on with other bills' changes, so a locked bill
 * costs its own changes a wait and nothing else. Every component change moves the bill's ETag,
 * and a chain of changes (each one's old value the previous one's new value) only merges in order.
 */
public final class BillQueues {
    /** A bill with a change in progress, and the changes waiting behind it; no entry: nothing in progress. */
    private final Map<Long, PriorityQueue<BomWork>> inProgress = new HashMap<>();

    /**
     * A change entering its lane: the change to work on now, or null when its bill has a change in
     * progress (it waits behind it). A change back from its lock round is its bill's change in progress.
     */
    public synchronized BomWork admit(@Body BomWork work) {
        if (work.retryWait != null) {
            work.retryWait = null;
            return work;
        }
        PriorityQueue<BomWork> waiting = inProgress.get(work.billId());
        if (waiting != null) {
            waiting.add(work);
            return null;
        }
        inProgress.put(work.billId(), new PriorityQueue<>(BomWork.REQUEST_ORDER));
        return work;
    }

    /** A change of a bill whose change is in progress, to go after it in request order (a change that waited for it). */
    synchronized void behind(BomWork work) {
        inProgress.computeIfAbsent(work.billId(), b -> new PriorityQueue<>(BomWork.REQUEST_ORDER)).add(work);
    }

    /**
     * After a change's turn: its bill's next change, or null when the bill has none waiting (then
     * nothing of it is in progress) or when the change went to wait for a lock round (the bill stays
     * its, and its next changes keep waiting).
     */
    public synchronized BomWork next(@ExchangeProperty("work") BomWork done) {
        if (done.retryWait != null) {
            return null;
        }
        PriorityQueue<BomWork> waiting = inProgress.get(done.billId());
        BomWork next = waiting == null ? null : waiting.poll();
        if (next == null) {
            inProgress.remove(done.billId());
        }
        return next;
    }

    /** How many changes wait behind a change in progress of their bill. */
    public synchronized int waiting() {
        return inProgress.values().stream().mapToInt(PriorityQueue::size).sum();
    }
}
