package io.erpsync.wms;

import java.math.BigDecimal;
import java.time.Instant;

/** One warehouse row, validated: the quantity the WMS wants the ERP to hold for one item in one organization. */
public record StockLevel(String itemNumber, String organizationCode, BigDecimal quantity, Instant updatedAt,
                         String segment, long rowNumber, String key) {

    /**
     * {@code key}: the identity of the item across systems (contract 2: ItemNumber + OrganizationCode),
     * always made from the two here, whatever is passed.
     */
    public StockLevel {
        // why: made once per row; every batch, lane and read asks a row for it several times (JFR, bench/RESULTS.md)
        key = itemNumber + "|" + organizationCode;
    }

    public StockLevel(String itemNumber, String organizationCode, BigDecimal quantity, Instant updatedAt, String segment,
                      long rowNumber) {
        this(itemNumber, organizationCode, quantity, updatedAt, segment, rowNumber, null);
    }

    /** Later updated_at wins; on a tie the later row of the read. A row without a time is older than any with one. */
    public boolean isNewerThan(StockLevel other) {
        if (other == null || other.updatedAt == null) {
            return true;
        }
        if (updatedAt == null) {
            return false;
        }
        return updatedAt.isAfter(other.updatedAt) || (updatedAt.equals(other.updatedAt) && rowNumber > other.rowNumber);
    }
}
