-- Bills of materials. A BOM change parked in the exception queue is a row like a stock item's, of kind
-- BOM, naming the change, the bill and the component; its open_key is bom:<change_id>.
ALTER TABLE sync_exception ADD COLUMN kind VARCHAR(10) DEFAULT 'STOCK' NOT NULL;
ALTER TABLE sync_exception ADD COLUMN change_id BIGINT;
ALTER TABLE sync_exception ADD COLUMN bill_sequence_id BIGINT;
ALTER TABLE sync_exception ADD COLUMN component_sequence_id BIGINT;
CREATE INDEX sync_exception_bill ON sync_exception (bill_sequence_id, failure_class);

-- Bills whose changes met too many true conflicts: later changes are held until a person releases the
-- bill (after taking the changes through the ERP's change-order workflow).
CREATE TABLE bom_bill_hold (
    bill_sequence_id BIGINT PRIMARY KEY,
    reason           VARCHAR(2048) NOT NULL,
    held_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    released_at      TIMESTAMP WITH TIME ZONE,
    released_by      VARCHAR(100),
    version          INTEGER DEFAULT 0 NOT NULL
);
