package io.erpsync.wms;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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

    public List<String> segmentColumns() {
        return segmentColumns;
    }

    /** The result: exactly one of level and rejected is set. */
    public record Result(StockLevel level, RowRejected rejected) {
    }

    public Result read(Map<String, Object> raw, long rowNumber) {
        Map<String, Object> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        row.putAll(raw);
        for (String required : List.of(ITEM, ORG, QUANTITY, UPDATED_AT)) {
            if (!row.containsKey(required)) {
                throw new IllegalStateException("wms.query must return a column named " + required
                        + " (alias it with AS); it returned " + raw.keySet());
            }
        }
        for (String seg : segmentColumns) {
            if (!row.containsKey(seg)) {
                throw new IllegalStateException("sync.segment.fields names " + seg + " but wms.query returns only " + raw.keySet());
            }
        }
        String item = text(row.get(ITEM));
        String org = text(row.get(ORG));
        String segment = segmentColumns.stream().map(c -> String.valueOf(text(row.get(c)))).collect(Collectors.joining("|"));
        Instant updatedAt = instant(row.get(UPDATED_AT));
        Object q = row.get(QUANTITY);
        BigDecimal quantity = decimal(q);
        String where = "WMS row " + rowNumber + " (item " + (item == null ? "<missing>" : item) + ", organization "
                + (org == null ? "<missing>" : org) + ")";
        String problem = null;
        if (item == null) {
            problem = "item_number is missing";
        } else if (org == null) {
            problem = "organization_code is missing";
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
            return new Result(null, new RowRejected(item, org, segment, quantity, updatedAt, where + ": " + problem));
        }
        return new Result(new StockLevel(item, org, quantity.stripTrailingZeros(), updatedAt, segment, rowNumber), null);
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
        if (o instanceof java.util.Date d) {
            return d.toInstant();
        }
        return null;
    }
}
