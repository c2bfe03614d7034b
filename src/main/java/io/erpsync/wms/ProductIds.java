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
    /** Which item holds a product id in an organization ("org|product id" to the item's key): the first one sent. */
    private final Map<String, String> holders = new ConcurrentHashMap<>();

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

    /**
     * Null when this item may follow its product id's record: no other item of its organization holds the
     * same id (the first one sent takes it). Else why not, naming both items: one record cannot follow
     * two items' stock, each write would overwrite the other's.
     */
    public String sharedWith(String itemNumber, String organizationCode) {
        if (column == null) {
            return null;
        }
        String key = itemNumber + "|" + organizationCode;
        String id = of(itemNumber, organizationCode);
        String claim = organizationCode + "|" + id;
        while (true) {
            String holder = holders.putIfAbsent(claim, key);
            if (holder == null || holder.equals(key)) {
                return null;
            }
            String other = holder.substring(0, holder.lastIndexOf('|'));
            if (of(other, organizationCode).equals(id)) {
                return "Item " + itemNumber + " has the storefront product id " + id + " that item " + other + " of organization "
                        + organizationCode + " has too (" + column + " of wms.query): one inventory record cannot follow two items, so "
                        + other + "'s goes there; a replay lands " + itemNumber + " once one of them has another product id";
            }
            // the holder's newest row names another product id now: the id is free, taken by the first to ask again
            if (holders.replace(claim, holder, key)) {
                return null;
            }
        }
    }

    /** The product id of an item in an organization: its column's value as last read, else the item number. */
    public String of(String itemNumber, String organizationCode) {
        return column == null ? itemNumber : byKey.getOrDefault(itemNumber + "|" + organizationCode, itemNumber);
    }
}
