package io.erpsync.target.fusion;

import java.math.BigDecimal;

/** One batch part: set our one field on one item, conditional on the ETag we read. */
public record QuantityUpdate(String partId, long itemId, String ifMatch, BigDecimal quantity) {
}
