package io.erpsync.store;

import io.erpsync.core.FailureClass;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

/**
 * A BOM change as the exception queue keeps it: the change, its bill and component (the component's
 * item number as the row's item), the quantity it wanted, why it is parked, who changed the
 * component last when the ERP said so, the fields it owns (null for a row that is no change) and,
 * when it waits for an earlier change of ours on the same component and field, that change.
 */
public record BomParked(long changeId, Long billId, Long componentId, String component, String organizationCode,
                        BigDecimal wantedQuantity, Instant requestedAt, FailureClass failureClass, String reason, Integer httpStatus,
                        String erpMessage, String changedBy, Set<String> fields, Long waitsFor) {
    /** The row as an item's: the component's item number as the item, the bill as the segment, who changed it last as the owner. */
    ParkedItem asItem() {
        return new ParkedItem(component, organizationCode, "bill " + billId, wantedQuantity, requestedAt, failureClass, reason, httpStatus,
                erpMessage, changedBy);
    }
}
