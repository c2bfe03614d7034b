-- Who runs a cycle now, across processes on one store (a service and a CLI --once or --replay, or
-- replicas): one row per kind of run. A holder keeps its lease by a heartbeat; a lease whose holder
-- died (its process is gone, or its heartbeat is older than sync.lease.ttl) is taken over, and the
-- run it left RUNNING is recorded as FAILED.
CREATE TABLE sync_lease (
    name         VARCHAR(16) PRIMARY KEY,
    holder       VARCHAR(200),
    run_id       BIGINT,
    heartbeat_at TIMESTAMP WITH TIME ZONE,
    version      BIGINT NOT NULL
);
INSERT INTO sync_lease (name, version) VALUES ('STOCK', 0);
INSERT INTO sync_lease (name, version) VALUES ('BOM', 0);
-- which process (host, process id) ran each run
ALTER TABLE sync_run ADD COLUMN node VARCHAR(200);
