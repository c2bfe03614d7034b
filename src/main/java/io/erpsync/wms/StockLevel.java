package io.erpsync.wms;

import java.math.BigDecimal;
import java.time.Instant;

/** One warehouse row, validated: the quantity the WMS wants the ERP to hold for one item in one organization. */
public record StockLevel(String itemNumber, String organizationCode, BigDecimal quantity, Instant updatedAt,
                         String segment, long rowNumber) {

    /** Identity of the item across systems (contract 2: ItemNumber + OrganizationCode). */
    public String key() {
        return itemNumber + "|" + organizationCode;
    }

    public boolean isNewerThan(StockLevel other) {
        return other == null || updatedAt.isAfter(other.updatedAt)
                || (updatedAt.equals(other.updatedAt) && rowNumber > other.rowNumber);
    }
}
