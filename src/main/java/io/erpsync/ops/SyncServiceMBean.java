package io.erpsync.ops;

/** What operators see and steer over JMX as erp-sync:type=SyncService (JConsole, VisualVM, Hawtio). */
@Describe("erp-sync: the state of the stock and BOM sync, and the operations that steer it (README: Operating it over JMX)")
public interface SyncServiceMBean {
    @Describe("Status of the last run: SUCCEEDED, COMPLETED_WITH_PARKED, FAILED, SKIPPED_OVERLAP ... (NONE before the first)")
    String getLastCycleStatus();

    /** The last cycle's one-line JSON summary, as --once prints it. */
    @Describe("The last run's JSON summary (as --once prints it), with the node (host and process) that ran it")
    String getLastCycleSummary();

    @Describe("When the schedule fires next")
    String getNextFireTime();

    @Describe("Whether the schedule is paused (pause/resume)")
    boolean isSchedulePaused();

    /** Conflicts per item tried in the last cycle, 0..1. */
    @Describe("Conflicts (locks, stale versions) per item tried in the last cycle, 0..1")
    double getConflictRateLastCycle();

    /** Conflicts per item tried over the cycles of the last 24 hours, 0..1. */
    @Describe("Conflicts per item tried over the cycles of the last 24 hours, 0..1")
    double getConflictRate24h();

    /** OPEN exceptions by failure class, as JSON: {"RECORD_LOCKED": 3, ...}. */
    @Describe("OPEN rows of the exception queue by failure class, as JSON: {\"RECORD_LOCKED\": 3, ...}")
    String getOpenExceptionsByClass();

    @Describe("The ERP circuit breaker: CLOSED, OPEN or HALF_OPEN")
    String getBreakerState();

    /** "open" or "waiting for [Cost Update] since 2026-...". */
    @Describe("The job gate: open, or waiting for [a locking ERP job] since when")
    String getGateState();

    /** Items sent alone because they met conflicts lately (item|organization). */
    @Describe("Items sent in the hot lane because they met conflicts lately (item|organization)")
    String[] getHotItems();

    /** Starts a cycle now (in the background); the schedule is not touched. */
    @Describe("Starts a stock cycle now, in the background (the schedule is not touched); see LastCycleSummary. "
            + "A cycle already running records this one as SKIPPED_OVERLAP")
    String runNow();

    /** Pauses the schedule (the runtime keeps running; runNow and replays still work). */
    @Describe("Pauses the schedule's Quartz triggers, stock and BOM (a running cycle finishes; runNow and replays still work)")
    void pause();

    @Describe("Resumes the schedule's Quartz triggers after pause")
    void resume();

    /** Replays OPEN exceptions: all, item=ITM-2847, class=RECORD_LOCKED; returns the replay's summary. */
    @Describe("Sends the OPEN rows of the exception queue that match the filter to the ERP again, as --replay does, "
            + "and returns the replay's JSON summary; a row that goes through is RESOLVED, one that fails again stays OPEN")
    String replayExceptions(@Describe(name = "filter", value = "which OPEN rows: all; id=42 (one row); item=ITM-2847; "
            + "class=RECORD_LOCKED (every item parked behind a lock); combined with commas: item=ITM-2847,class=RECORD_LOCKED")
                            String filter);

    /** Forgets past conflicts: hot items go back into batches from the next cycle. */
    @Describe("Forgets past conflicts: the hot items go back into batches from the next cycle; returns how many")
    String coolDownHotItems();

    /** The last BOM cycle's JSON summary. */
    @Describe("The last BOM run's JSON summary")
    String getLastBomSummary();

    /** Bills held for a change order, with why: their changes are parked as NEEDS_CHANGE_ORDER. */
    @Describe("Bills held for an ERP change order (id, since when, why); their changes are parked as NEEDS_CHANGE_ORDER")
    String[] getHeldBills();

    /** Releases a held bill; its held changes then go through with replayExceptions("class=NEEDS_CHANGE_ORDER"). */
    @Describe("Releases a bill held for a change order; its held changes then go through with "
            + "replayExceptions(\"class=NEEDS_CHANGE_ORDER\")")
    String releaseBill(@Describe(name = "billId", value = "the bill's id (bill_sequence_id), as HeldBills shows it") long billId);
}
