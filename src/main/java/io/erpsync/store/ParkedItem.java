package io.erpsync.store;

import io.erpsync.core.FailureClass;

import java.math.BigDecimal;
import java.time.Instant;

/** One item the runtime gave up on, with everything an operator needs to act on it. */
public record ParkedItem(String itemNumber, String organizationCode, String segment, BigDecimal wantedQuantity,
                         Instant sourceUpdatedAt, FailureClass failureClass, String reason, Integer httpStatus,
                         String erpMessage, String lockOwner) {
}
