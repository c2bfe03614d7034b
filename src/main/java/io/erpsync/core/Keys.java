package io.erpsync.core;

/**
 * The names of what travels with an exchange besides its body, in one place: the routes use the
 * same names ({@code ${exchangeProperty.cycle}}, {@code ${header.lane}}).
 */
public final class Keys {
    /** Property: the run (a cycle or a replay) the exchange works for. */
    public static final String CYCLE = "cycle";
    /** Property: the batch an ERP request is made for. */
    public static final String BATCH = "batch";
    /** Property: the item of a batch whose newest WMS row is read again (someone else wrote our field). */
    public static final String ITEM = "pendingItem";
    /** Property: work other than a stock batch an ERP call is made for (a BOM change), an {@link OtherWork}. */
    public static final String WORK = "work";
    /** Property: the job gate's passage of one cycle. */
    public static final String GATE = "gate";
    /** Header: what started a cycle (SCHEDULE, FULL_RECONCILE, ONCE, RUN_NOW, ...). */
    public static final String TRIGGER = "trigger";
    /** Header: the target a cycle or a replay is for (setting targets); none: the first configured. */
    public static final String TARGET = "target";
    /** Property: the target whose cycle a branch of routes/sync-targets.camel.yaml runs (its summary goes under that name). */
    public static final String CYCLE_OF = "cycleOf";
    /** Header: the lane a batch waits in. */
    public static final String LANE = "lane";
    /** Header: the lock-retry group (run, lane, organization, round) a locked item waits in. */
    public static final String LOCK_GROUP = "lockGroup";
    /** Header: how long, in ms, a lock-retry group waits for more items before it goes out. */
    public static final String LOCK_DELAY = "lockDelay";

    /** Property: the last failed ERP call of the exchange, a {@link FailedAttempt}, for the retry log. */
    public static final String FAILED_ATTEMPT = "failedAttempt";

    private Keys() {
    }
}
