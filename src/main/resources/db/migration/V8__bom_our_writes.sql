-- What our own applied BOM changes wrote, by component field (bom/OurWrites): the value a component has
-- after our earlier change is our chain's, not another user's, also after a restart or on another node.
CREATE TABLE bom_our_write (
    bill_sequence_id BIGINT NOT NULL,
    component_sequence_id BIGINT NOT NULL,
    field VARCHAR(40) NOT NULL,
    written_value VARCHAR,
    written_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (bill_sequence_id, component_sequence_id, field)
);
