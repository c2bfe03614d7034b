package io.erpsync.core;

/** A run of the runtime (a cycle or a replay) as the features below the sync layer see it: its sync_run id. */
public interface Run {
    long runId();

    /** One more request went to the ERP for this run (a retry counts as one more). */
    void requestSent();

    /** Right before a request goes to the ERP: throws when the run may send nothing more (it lost its lease). */
    default void beforeErpCall() {
    }

    /** The request that {@link #beforeErpCall} let go has its answer, or failed. */
    default void afterErpCall() {
    }

    /** Whether the run has failed (it keeps its watermark; its calls stop, retries included). */
    boolean failed();

    /** The target the run keeps in step (setting targets): "erp" unless a run says otherwise. */
    default String target() {
        return DEFAULT_TARGET;
    }

    /** The target of runs that name none: the ERP, as before there were several. */
    String DEFAULT_TARGET = "erp";
}
