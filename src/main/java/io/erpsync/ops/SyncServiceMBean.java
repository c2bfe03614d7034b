package io.erpsync.ops;

/** What operators see and steer over JMX as erp-sync:type=SyncService (JConsole, VisualVM, Hawtio). */
public interface SyncServiceMBean {
    String getLastCycleStatus();

    /** The last cycle's one-line JSON summary, as --once prints it. */
    String getLastCycleSummary();

    String getNextFireTime();

    boolean isSchedulePaused();

    /** Conflicts per item tried in the last cycle, 0..1. */
    double getConflictRateLastCycle();

    /** Conflicts per item tried over the cycles of the last 24 hours, 0..1. */
    double getConflictRate24h();

    /** OPEN exceptions by failure class, as JSON: {"RECORD_LOCKED": 3, ...}. */
    String getOpenExceptionsByClass();

    String getBreakerState();

    /** "open" or "waiting for [Cost Update] since 2026-...". */
    String getGateState();

    /** Items sent alone because they met conflicts lately (item|organization). */
    String[] getHotItems();

    /** Starts a cycle now (in the background); the schedule is not touched. */
    String runNow();

    /** Pauses the schedule (the runtime keeps running; runNow and replays still work). */
    void pause();

    void resume();

    /** Replays OPEN exceptions: all, item=ITM-2847, class=RECORD_LOCKED; returns the replay's summary. */
    String replayExceptions(String filter);

    /** Forgets past conflicts: hot items go back into batches from the next cycle. */
    String coolDownHotItems();

    /** The last BOM cycle's JSON summary. */
    String getLastBomSummary();

    /** Bills held for a change order, with why: their changes are parked as NEEDS_CHANGE_ORDER. */
    String[] getHeldBills();

    /** Releases a held bill; its held changes then go through with replayExceptions("class=NEEDS_CHANGE_ORDER"). */
    String releaseBill(long billId);
}
