package io.erpsync.bom;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One requested change of a BOM component, as the inbox holds it: the bill, the component (by its
 * ComponentSequenceId, or by its item number within the bill), and for each field the change owns
 * the value the requester saw ({@code old}) and the value wanted.
 */
public record BomChange(long changeId, long billId, Long componentId, String componentItemNumber, Map<String, Field> fields,
                        String requestedBy, Instant requestedAt, long rowNumber) {

    /** A field the change owns: the value seen before, the value wanted. */
    public record Field(Object old, Object wanted) {
    }

    /** The open_key of its exception row, and its key in a run. */
    public String key() {
        return "bom:" + changeId;
    }

    /** The component as a person reads it. */
    public String component() {
        return componentItemNumber != null ? componentItemNumber : "component " + componentId;
    }

    /** The quantity it wants, when it changes Quantity. */
    public BigDecimal wantedQuantity() {
        Field q = fields.get("Quantity");
        return q != null && q.wanted() instanceof BigDecimal b ? b : null;
    }

    @Override
    public String toString() {
        return "change " + changeId + " (bill " + billId + ", " + component() + ")";
    }
}
