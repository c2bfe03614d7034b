package io.erpsync.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one cycle did: the figures of the one-line JSON summary and of its sync_run row, and its
 * stock-outs (sync.priority.*; {@link StockOutFigures#NONE} for a run that sent none first).
 */
public record CycleSummary(long runId, String status, int read, int changed, int unchanged, int updated,
                           int conflicts, int retried, int parked, int deferred, int requests, long durationMs,
                           int batchSize, String message, StockOutFigures stockOuts) {

    public CycleSummary {
        stockOuts = stockOuts == null ? StockOutFigures.NONE : stockOuts;
    }

    /** A run without stock-outs sent first (a BOM cycle, a replay, a skipped fire). */
    public CycleSummary(long runId, String status, int read, int changed, int unchanged, int updated, int conflicts, int retried,
                        int parked, int deferred, int requests, long durationMs, int batchSize, String message) {
        this(runId, status, read, changed, unchanged, updated, conflicts, retried, parked, deferred, requests, durationMs, batchSize,
                message, StockOutFigures.NONE);
    }

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String PARKED = "COMPLETED_WITH_PARKED";
    public static final String FAILED = "FAILED";
    public static final String SKIPPED_OVERLAP = "SKIPPED_OVERLAP";
    public static final String SKIPPED_JOB_RUNNING = "SKIPPED_JOB_RUNNING";
    public static final String DEFERRED = "COMPLETED_WITH_DEFERRED";

    /**
     * Exit code of {@code --once}: 0 all synced or unchanged, 2 some parked or deferred to the next
     * cycle (nothing lost), 1 the cycle failed or did not run.
     */
    public int exitCode() {
        return switch (status) {
            case SUCCEEDED -> 0;
            case PARKED, DEFERRED -> 2;
            default -> 1;
        };
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", runId);
        m.put("status", status);
        m.put("read", read);
        m.put("changed", changed);
        m.put("unchanged", unchanged);
        m.put("updated", updated);
        m.put("conflicts", conflicts);
        m.put("retried", retried);
        m.put("parked", parked);
        m.put("deferred", deferred);
        m.put("requests", requests);
        m.put("duration", durationMs);
        if (stockOuts.items() > 0) {
            m.put("stockOuts", stockOuts.asMap());
        }
        if (message != null) {
            m.put("message", message);
        }
        return m;
    }
}
