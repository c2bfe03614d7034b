package io.erpsync.sync;

import java.math.BigDecimal;

/**
 * Whether a WMS row is a stock-out that goes first (sync.priority.*): its new quantity is at or below
 * sync.priority.threshold, or at or below the item's safety stock (a {@code safety_stock} column of
 * wms.query), or it fell by more than sync.priority.drop percent from the quantity before it (a
 * {@code previous_quantity} column of wms.query: the WMS knows what it held, whatever the target). A
 * missing optional value (no such column, or null) takes no part.
 */
public final class StockOutRule {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private final BigDecimal threshold;
    private final BigDecimal dropPercent;

    public StockOutRule(BigDecimal threshold, BigDecimal dropPercent) {
        if (threshold.signum() < 0) {
            throw new IllegalStateException("sync.priority.threshold must be at least 0, was " + threshold.toPlainString());
        }
        if (dropPercent.signum() < 0 || dropPercent.compareTo(HUNDRED) > 0) {
            throw new IllegalStateException("sync.priority.drop must be between 0 and 100 (percent), was " + dropPercent.toPlainString());
        }
        this.threshold = threshold;
        this.dropPercent = dropPercent;
    }

    /**
     * @param quantity    the row's new quantity (valid: not negative)
     * @param safetyStock the item's safety stock, or null
     * @param previous    the quantity before this row, or null
     */
    public boolean goesFirst(BigDecimal quantity, BigDecimal safetyStock, BigDecimal previous) {
        if (quantity.compareTo(threshold) <= 0) {
            return true;
        }
        if (safetyStock != null && quantity.compareTo(safetyStock) <= 0) {
            return true;
        }
        if (previous == null || previous.signum() <= 0 || quantity.compareTo(previous) >= 0) {
            return false;
        }
        // fell by (previous - quantity) / previous, in percent, more than the drop: no division, no rounding
        return previous.subtract(quantity).multiply(HUNDRED).compareTo(dropPercent.multiply(previous)) > 0;
    }

    /**
     * The same rule as an SQL condition on wms.query's columns (quantity, and safety_stock and
     * previous_quantity where the query returns them), for the stock-outs' read narrowed in the database.
     * Its numbers are the validated settings, written out in full.
     */
    public String sqlCondition(boolean safetyStock, boolean previous) {
        StringBuilder sql = new StringBuilder("quantity <= ").append(threshold.toPlainString());
        if (safetyStock) {
            sql.append(" OR (safety_stock IS NOT NULL AND quantity <= safety_stock)");
        }
        if (previous) {
            // why: decimal literals, so that whole-number columns are not multiplied as integers (overflow past about 21 million)
            sql.append(" OR (previous_quantity > 0 AND quantity < previous_quantity AND (previous_quantity - quantity) * 100.0 > ")
                    .append(dropPercent.setScale(Math.max(1, dropPercent.scale())).toPlainString()).append(" * previous_quantity)");
        }
        return sql.toString();
    }
}
