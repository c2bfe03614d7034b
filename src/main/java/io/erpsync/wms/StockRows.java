package io.erpsync.wms;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns a row of {@code wms.query} into a {@link StockLevel}, or says why it cannot. The query must
 * return the columns item_number, organization_code, quantity and updated_at (alias them), plus the
 * segment columns; names are matched case-insensitively, as databases fold them differently.
 */
public final class StockRows {
    public static final String ITEM = "item_number";
    public static final String ORG = "organization_code";
    public static final String QUANTITY = "quantity";
    public static final String UPDATED_AT = "updated_at";
    /** Optional columns of wms.query that stock-outs first reads (sync.priority.*). */
    public static final String SAFETY_STOCK = "safety_stock";
    public static final String PREVIOUS_QUANTITY = "previous_quantity";

    private final List<String> segmentColumns;

    /** The organization always leads the segment key, so one batch is one organization (one pre-check read). */
    public StockRows(List<String> segmentColumns) {
        List<String> cols = segmentColumns.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .filter(s -> !s.equals(ORG)).collect(Collectors.toList());
        cols.add(0, ORG);
        this.segmentColumns = List.copyOf(cols);
    }

    public static StockRows of(String commaSeparated) {
        return new StockRows(List.of(commaSeparated.split(",")));
    }

    private ProductIds productIds;

    /** The same reading, keeping each valid row's storefront product id (storefront.product-id-column) as it goes. */
    public StockRows withProductIds(ProductIds ids) {
        StockRows r = new StockRows(segmentColumns);
        r.productIds = ids;
        return r;
    }

    public List<String> segmentColumns() {
        return segmentColumns;
    }

    /** The result: exactly one of level and rejected is set. */
    public record Result(StockLevel level, RowRejected rejected) {
    }

    /**
     * The newest valid row of what wms.item-query found for one item (null when none is valid); the
     * item's own segment and row number are kept, so it goes on in the batch it belongs to.
     */
    public StockLevel newest(List<Map<String, Object>> found) {
        StockLevel newest = null;
        for (int i = 0; i < found.size(); i++) {
            StockLevel l = read(found.get(i), i + 1).level();
            if (l != null && (newest == null || l.isNewerThan(newest))) {
                newest = l;
            }
        }
        return newest;
    }

    /** The parameters of wms.item-query: :?item, :?org, and :?since from the beginning (the query reads every row of the item). */
    public static void itemQueryParameters(String item, String org, Map<String, Object> headers) {
        headers.clear();
        headers.put("item", item);
        headers.put("org", org);
        headers.put("since", Timestamp.from(Instant.EPOCH));
    }

    public Result read(Map<String, Object> raw, long rowNumber) {
        Columns c = columns;
        if (c == null || !c.fit(raw)) {
            c = columns(raw);
            columns = c;
        }
        String item = text(raw.get(c.item()));
        String org = text(raw.get(c.org()));
        StringBuilder seg = new StringBuilder(32);
        for (int i = 0; i < c.segment().length; i++) {
            seg.append(i == 0 ? "" : "|").append(text(raw.get(c.segment()[i])));
        }
        String segment = seg.toString();
        Instant updatedAt = instant(raw.get(c.updatedAt()));
        Object q = raw.get(c.quantity());
        BigDecimal quantity = decimal(q);
        String problem = null;
        if (item == null) {
            problem = "item_number is missing";
        } else if (item.length() > MAX_ITEM_NUMBER) {
            problem = "item_number is longer than " + MAX_ITEM_NUMBER + " characters";
        } else if (org == null) {
            problem = "organization_code is missing";
        } else if (org.length() > MAX_ORGANIZATION) {
            problem = "organization_code is longer than " + MAX_ORGANIZATION + " characters";
        } else if (q == null) {
            problem = "quantity is missing";
        } else if (quantity == null) {
            problem = "quantity '" + q + "' is not a finite number";
        } else if (quantity.signum() < 0) {
            problem = "quantity " + quantity.toPlainString() + " is negative";
        } else if (updatedAt == null) {
            problem = "updated_at is missing or not a timestamp";
        }
        if (problem != null) {
            String where = "WMS row " + rowNumber + " (item " + (item == null ? "<missing>" : shortened(item)) + ", organization "
                    + (org == null ? "<missing>" : shortened(org)) + ")";
            return new Result(null, new RowRejected(item, org, segment, quantity, updatedAt, where + ": " + problem));
        }
        StockLevel level = new StockLevel(item, org, quantity.stripTrailingZeros(), updatedAt, segment, rowNumber);
        if (productIds != null) {
            productIds.read(raw, level);
        }
        return new Result(level, null);
    }

    /**
     * Where each needed column is in the rows of wms.query, found once per result shape (names are
     * matched case-insensitively, as databases fold them differently), so a row costs only lookups.
     */
    private record Columns(int size, String item, String org, String quantity, String updatedAt, String[] segment) {
        boolean fit(Map<String, Object> raw) {
            if (raw.size() != size || !raw.containsKey(item) || !raw.containsKey(org) || !raw.containsKey(quantity)
                    || !raw.containsKey(updatedAt)) {
                return false;
            }
            for (String s : segment) {
                if (!raw.containsKey(s)) {
                    return false;
                }
            }
            return true;
        }
    }

    private volatile Columns columns;

    private Columns columns(Map<String, Object> raw) {
        Map<String, String> byLowerCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String k : raw.keySet()) {
            byLowerCase.put(k, k);
        }
        for (String required : List.of(ITEM, ORG, QUANTITY, UPDATED_AT)) {
            if (!byLowerCase.containsKey(required)) {
                throw new IllegalStateException("wms.query must return a column named " + required
                        + " (alias it with AS); it returned " + raw.keySet());
            }
        }
        String[] segment = new String[segmentColumns.size()];
        for (int i = 0; i < segment.length; i++) {
            segment[i] = byLowerCase.get(segmentColumns.get(i));
            if (segment[i] == null) {
                throw new IllegalStateException("sync.segment.fields names " + segmentColumns.get(i) + " but wms.query returns only "
                        + raw.keySet());
            }
        }
        return new Columns(raw.size(), byLowerCase.get(ITEM), byLowerCase.get(ORG), byLowerCase.get(QUANTITY), byLowerCase.get(UPDATED_AT),
                segment);
    }

    /**
     * An optional numeric column of a row, its name matched case-insensitively: null when the query
     * does not return it or its value is null or blank.
     *
     * @throws IllegalArgumentException naming the column and the value, when that is not a finite number
     */
    public static BigDecimal optionalNumber(Map<String, Object> raw, String column) {
        Object v = null;
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                v = e.getValue();
                break;
            }
        }
        if (v == null || (v instanceof String text && text.isBlank())) {
            return null;
        }
        BigDecimal d = decimal(v);
        if (d == null) {
            throw new IllegalArgumentException(column + " '" + v + "' is not a finite number");
        }
        return d;
    }

    /** The longest item number and organization code the runtime takes (and its exception queue stores). */
    public static final int MAX_ITEM_NUMBER = 300;
    public static final int MAX_ORGANIZATION = 100;

    private static String shortened(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "... (" + s.length() + " characters)";
    }

    private static String text(Object o) {
        if (o == null) {
            return null;
        }
        String s = o.toString().trim();
        return s.isEmpty() ? null : s;
    }

    static BigDecimal decimal(Object o) {
        if (o instanceof BigDecimal b) {
            return b;
        }
        if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (o instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (o instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A timestamp without zone is read in the JVM's zone, the same zone the watermark is written back in. */
    static Instant instant(Object o) {
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof ZonedDateTime t) {
            return t.toInstant();
        }
        if (o instanceof LocalDateTime t) {
            return t.atZone(ZoneId.systemDefault()).toInstant();
        }
        if (o instanceof Instant t) {
            return t;
        }
        if (o instanceof Date d) {
            return d.toInstant();
        }
        return null;
    }
}
