package io.erpsync.target.fusion;

import java.math.BigDecimal;

/** An item as the ERP holds it, reduced to what the runtime reads: identity, our field, and its ETag. */
public record ItemSnapshot(long itemId, String itemNumber, String organizationCode, BigDecimal onhandQuantity,
                           String changeIndicator) {
}
