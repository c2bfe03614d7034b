-- Chains of BOM changes (each change's old_ value the previous change's new_): a parked change
-- names the fields it owns, so that a later change of the same component and field waits for it
-- (WAITING_FOR_CHANGE, naming the change it waits for) instead of being judged against a value our
-- own earlier change has not written yet. V6, not V5: V5 is left to the stock cycle's lease work.
ALTER TABLE sync_exception ADD COLUMN bom_fields VARCHAR(100);
ALTER TABLE sync_exception ADD COLUMN waits_for_change BIGINT;
CREATE INDEX sync_exception_waits_for ON sync_exception (waits_for_change);
