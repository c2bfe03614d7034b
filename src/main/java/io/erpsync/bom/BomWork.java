package io.erpsync.bom;

import io.erpsync.core.OtherWork;
import io.erpsync.store.ExceptionRow;
import io.erpsync.sync.Cycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One BOM change on its way through its bill's lane: the component as last read (its fields and
 * ETag), what the merge decided to send, the rounds spent on stale versions and locks, the wait
 * before its next lock round while it is off its lane, and the parked changes that waited for it
 * (claimed when it was applied, applied next).
 */
public final class BomWork implements OtherWork {
    private final BomChanges owner;
    private final Cycle run;
    private final BomChange change;
    Long componentId;
    /** While the change names its component by item number: the offset of the bill's next page of components, and the matches so far by id. */
    int componentsOffset;
    final Map<String, Map<String, Object>> componentsFound = new java.util.LinkedHashMap<>();
    Map<String, Object> current;
    String etag;
    Map<String, Object> send;
    int staleRounds;
    int lockRound;
    int backoffRound;
    /** Set once the ERP has the change and its bundle's write was put off: the outcome it settles with when the bundle has it. */
    Cycle.Outcome bundleOutcome;
    /** The bundled product the change writes (its component's item number) while its bundle's write waits. */
    String bundleComponent;
    int bundleLockRound;
    int bundleBackoffRound;
    /** While it waits off its lane for its next lock or back-off round: that round's wait; null otherwise. */
    volatile Duration retryWait;
    /** The kind of round it waits for: "lock" or "back-off" (the ERP's), "bundle-lock" or "bundle-back-off" (its bundle's). */
    String retryKind;
    List<ExceptionRow> successors = List.of();
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

    /** Request order: when it was requested, then its change id. */
    static final Comparator<BomWork> REQUEST_ORDER = Comparator.<BomWork, Instant>comparing(
            w -> w.change.requestedAt()).thenComparingLong(w -> w.change.changeId());

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

    /** Whether it is back from a lock or back-off round: let in before, its bill's change in progress. */
    boolean isBack() {
        return lockRound > 0 || backoffRound > 0 || bundleOutcome != null;
    }

    /** The round it waits for or is back from: its number among the rounds of that kind. */
    int round() {
        return switch (retryKind) {
            case "lock" -> lockRound;
            case "back-off" -> backoffRound;
            case BundleRounds.LOCK -> bundleLockRound;
            default -> bundleBackoffRound;
        };
    }

    /** Its turn ends: it waits off its lane for its next round of this kind, then reads again. */
    void waitOffLane(String kind, Duration wait) {
        readAgain();
        retryKind = kind;
        retryWait = wait;
    }

    /** Forget the component as read: the next step reads it again. */
    void readAgain() {
        current = null;
        etag = null;
        send = null;
        // a search by item number starts again from the first page: the bill may have changed meanwhile
        forgetComponentSearch();
    }

    /** The search of the bill's components by item number starts over (or is done). */
    void forgetComponentSearch() {
        componentsOffset = 0;
        componentsFound.clear();
    }

    @Override
    public void giveUp(Throwable failure) {
        owner.giveUp(this, failure);
    }

    /** Its back-off holds its bill, not its lane: it waits off the lane (routes/bom-retry-rounds.camel.yaml). */
    @Override
    public boolean retriesOffLane() {
        return true;
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
