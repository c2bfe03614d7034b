package io.erpsync.wms;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The storefront's product id of each item (storefront.product-id-column, README: Storefront): a
 * column of wms.query, read with every valid row, or the item number when no column is set or the
 * row's is empty. Kept by item and organization for the writes that follow the read (and a replay's
 * read of the item's newest row brings it again).
 */
public final class ProductIds {
    private final String column;
    private final Map<String, String> byKey = new ConcurrentHashMap<>();

    /** @param column the column of wms.query holding the product id; null or blank: the item number is the product id */
    public ProductIds(String column) {
        this.column = column == null || column.isBlank() ? null : column.trim().toLowerCase(Locale.ROOT);
    }

    public boolean fromColumn() {
        return column != null;
    }

    /** A valid row of wms.query: its product id is kept. A query without the column is a setting error, the same for every row. */
    void read(Map<String, Object> raw, StockLevel level) {
        if (column == null) {
            return;
        }
        Object value = null;
        boolean present = false;
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(column)) {
                value = e.getValue();
                present = true;
                break;
            }
        }
        if (!present) {
            throw new IllegalStateException("storefront.product-id-column names " + column + " but wms.query returns only "
                    + raw.keySet());
        }
        String id = value == null ? "" : String.valueOf(value).trim();
        if (id.isEmpty()) {
            byKey.remove(level.key());
        } else {
            byKey.put(level.key(), id);
        }
    }

    /** The product id of an item in an organization: its column's value as last read, else the item number. */
    public String of(String itemNumber, String organizationCode) {
        return column == null ? itemNumber : byKey.getOrDefault(itemNumber + "|" + organizationCode, itemNumber);
    }
}
