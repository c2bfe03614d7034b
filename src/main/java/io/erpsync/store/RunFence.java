package io.erpsync.store;

/**
 * The check that every store write for a run carries in its own statement (README: Cluster mode): the
 * run still holds the lease epoch it was started under. A run that froze past sync.lease.ttl and was
 * taken over so writes nothing over the records of the run that took over, however late it resumes.
 * Runs that hold no lease (tests that write rows of their own) are not fenced.
 */
final class RunFence {
    /**
     * True unless the run was started under a lease epoch that is no longer the lease's (the lease was
     * taken since, by a take-over or by the next run); one parameter, the run id.
     */
    static final String HELD = "NOT EXISTS (SELECT 1 FROM sync_run fr WHERE fr.id = ? AND fr.epoch IS NOT NULL AND NOT EXISTS "
            + "(SELECT 1 FROM sync_lease fl WHERE fl.name = fr.lease_name AND fl.epoch = fr.epoch))";

    private RunFence() {
    }
}
