package io.erpsync.wms;

import java.math.BigDecimal;
import java.time.Instant;

/** A WMS row that cannot be synced, with what could be read of it and a reason naming the row. */
public record RowRejected(String itemNumber, String organizationCode, String segment, BigDecimal quantity,
                          Instant updatedAt, String reason) {
}
