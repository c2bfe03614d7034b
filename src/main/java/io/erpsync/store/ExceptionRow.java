package io.erpsync.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;

/** A row of the exception queue as stored. */
public record ExceptionRow(long id, String itemNumber, String organizationCode, String segment, BigDecimal wantedQuantity,
                           Instant sourceUpdatedAt, String failureClass, String reason, Integer httpStatus,
                           String erpMessage, String lockOwner, int attempts, Instant firstFailureAt,
                           Instant lastFailureAt, String status, int version, String kind, Long changeId, Long billId,
                           Long componentId, String bomFields, Long waitsForChange) {
    public static final String BOM = "BOM";

    public boolean isBom() {
        return BOM.equals(kind);
    }

    /** Whether this parked BOM change owns one of these fields. */
    public boolean ownsAnyOf(Collection<String> fields) {
        return bomFields != null && fields.stream().anyMatch(f -> Arrays.asList(bomFields.split(",")).contains(f));
    }
}
