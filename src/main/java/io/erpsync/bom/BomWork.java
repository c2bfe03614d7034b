package io.erpsync.bom;

import io.erpsync.core.OtherWork;
import io.erpsync.sync.Cycle;

import java.util.Map;

/**
 * One BOM change on its way through its bill's lane: the component as last read (its fields and
 * ETag), what the merge decided to send, and the rounds spent on stale versions and locks.
 */
public final class BomWork implements OtherWork {
    private final BomChanges owner;
    private final Cycle run;
    private final BomChange change;
    Long componentId;
    Map<String, Object> current;
    String etag;
    Map<String, Object> send;
    int staleRounds;
    int lockRound;
    long waitMs;
    private volatile boolean settled;

    BomWork(BomChanges owner, Cycle run, BomChange change) {
        this.owner = owner;
        this.run = run;
        this.change = change;
        this.componentId = change.componentId();
    }

    public Cycle run() {
        return run;
    }

    public BomChange change() {
        return change;
    }

    public long billId() {
        return change.billId();
    }

    boolean isSettled() {
        return settled;
    }

    /** It has its outcome: the run counts it settled, once. */
    void settle() {
        if (!settled) {
            settled = true;
            run.settled(1);
        }
    }

    /** Forget the component as read: the next step reads it again. */
    void readAgain() {
        current = null;
        etag = null;
        send = null;
    }

    @Override
    public void giveUp(Throwable failure) {
        owner.giveUp(this, failure);
    }

    @Override
    public void failRun(String why) {
        settle();
    }

    @Override
    public String toString() {
        return change.toString();
    }
}
