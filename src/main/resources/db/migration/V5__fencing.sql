-- Fencing (README: Cluster mode, "A frozen or partitioned node"). The lease's epoch grows with every
-- take of the lease; a run records the lease and epoch it holds, and every store write for the run
-- checks in the same statement that the lease still has that epoch and holder. A node that froze past
-- sync.lease.ttl and resumes so writes nothing over the records of the run that took over.
ALTER TABLE sync_lease ADD COLUMN epoch BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE sync_run ADD COLUMN lease_name VARCHAR(16);
ALTER TABLE sync_run ADD COLUMN epoch BIGINT;

-- The items of a run's write requests, recorded before they are sent and removed when the run ends
-- holding its lease. Rows of a run that lost its lease (taken over while frozen, killed) are compared
-- again by the next cycles, ERP against the newest WMS row: a request that was on its way when the
-- node froze may land after the take-over. drained: that run's process has since seen the loss and
-- has no request on its way any more, so one more comparison is the last one needed.
CREATE TABLE sync_in_flight (
    run_id            BIGINT       NOT NULL,
    item_number       VARCHAR(300) NOT NULL,
    organization_code VARCHAR(100) NOT NULL,
    segment           VARCHAR(300),
    recorded_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    drained           BOOLEAN DEFAULT FALSE NOT NULL,
    PRIMARY KEY (run_id, item_number, organization_code)
);
