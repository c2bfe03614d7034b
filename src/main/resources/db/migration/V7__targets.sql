-- Targets, plural (setting targets; README: Storefront): one WMS feed goes to every configured target,
-- each with its own ledger rows and exception rows. Rows from before are the ERP's. A target other than
-- the ERP keeps its open rows under open_key target:item|organization, so that one item may be parked
-- for two targets at once.
ALTER TABLE sync_run ADD COLUMN target VARCHAR(32) DEFAULT 'erp' NOT NULL;
ALTER TABLE sync_exception ADD COLUMN target VARCHAR(32) DEFAULT 'erp' NOT NULL;
CREATE INDEX sync_exception_target ON sync_exception (target, status);
