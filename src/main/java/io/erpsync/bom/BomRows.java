package io.erpsync.bom;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a row of {@code bom.query} into a {@link BomChange}, or says why it cannot. The query returns
 * change_id, bill_sequence_id, component_sequence_id or component_item_number, requested_by,
 * requested_at, and for each field the change owns a pair old_x / new_x (Quantity: old_quantity /
 * new_quantity; LeadTimeOffset: old_lead_time_offset / new_lead_time_offset; Notes: old_notes /
 * new_notes). A field whose new_ column is null is not the change's: it is never sent.
 */
public final class BomRows {
    /** The component fields a change may own: column stem, ERP field name, numeric or text. */
    static final Map<String, String> FIELDS = Map.of("quantity", "Quantity", "lead_time_offset", "LeadTimeOffset", "notes", "Notes");
    static final Set<String> NUMERIC = Set.of("Quantity", "LeadTimeOffset");

    /** A change, or why the row is not one. */
    public record Result(BomChange change, String problem, Long changeId, Long billId, Instant requestedAt) {
    }

    public Result read(Map<String, Object> raw, long rowNumber) {
        Map<String, Object> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        row.putAll(raw);
        for (String required : new String[] {"change_id", "bill_sequence_id", "requested_at"}) {
            if (!row.containsKey(required)) {
                throw new IllegalStateException("bom.query must return a column named " + required + "; it returned " + raw.keySet());
            }
        }
        Long changeId = whole(row.get("change_id"));
        Long billId = whole(row.get("bill_sequence_id"));
        Long componentId = whole(row.get("component_sequence_id"));
        String componentItem = text(row.get("component_item_number"));
        Instant requestedAt = instant(row.get("requested_at"));
        Map<String, BomChange.Field> fields = new LinkedHashMap<>();
        String problem = null;
        for (Map.Entry<String, String> f : FIELDS.entrySet()) {
            Object wanted = row.get("new_" + f.getKey());
            if (wanted == null) {
                continue;
            }
            Object old = row.get("old_" + f.getKey());
            if (NUMERIC.contains(f.getValue())) {
                BigDecimal w = decimal(wanted);
                if (w == null || (f.getValue().equals("Quantity") && w.signum() < 0)) {
                    problem = "new_" + f.getKey() + " '" + (w == null ? wanted : w.toPlainString()) + "' is not " + (f.getValue().equals("Quantity") ? "a number not less than 0"
                            : "a number");
                    break;
                }
                fields.put(f.getValue(), new BomChange.Field(old == null ? null : decimal(old), w));
            } else {
                fields.put(f.getValue(), new BomChange.Field(old == null ? "" : String.valueOf(old), String.valueOf(wanted)));
            }
        }
        if (problem != null) {
            // already named
        } else if (changeId == null) {
            problem = "change_id is missing";
        } else if (billId == null) {
            problem = "bill_sequence_id is missing (the ERP offers no lookup of a bill by its item)";
        } else if (componentId == null && componentItem == null) {
            problem = "component_sequence_id and component_item_number are both missing";
        } else if (fields.isEmpty()) {
            problem = "no new_ value: the change owns no field";
        } else if (requestedAt == null) {
            problem = "requested_at is missing or not a timestamp";
        }
        if (problem != null) {
            return new Result(null, "BOM change row " + rowNumber + " (change " + (changeId == null ? "<missing>" : changeId) + ", bill "
                    + (billId == null ? "<missing>" : billId) + "): " + problem, changeId, billId, requestedAt);
        }
        return new Result(new BomChange(changeId, billId, componentId, componentItem, fields, text(row.get("requested_by")), requestedAt,
                rowNumber), null, changeId, billId, requestedAt);
    }

    static BigDecimal decimal(Object o) {
        if (o == null) {
            return null;
        }
        try {
            BigDecimal b = o instanceof BigDecimal d ? d : new BigDecimal(String.valueOf(o).trim());
            return b.stripTrailingZeros();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long whole(Object o) {
        BigDecimal b = decimal(o);
        try {
            return b == null ? null : b.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static String text(Object o) {
        if (o == null) {
            return null;
        }
        String s = String.valueOf(o).trim();
        return s.isEmpty() ? null : s;
    }

    private static Instant instant(Object o) {
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof LocalDateTime t) {
            return t.atZone(ZoneId.systemDefault()).toInstant();
        }
        if (o instanceof Date d) {
            return d.toInstant();
        }
        return null;
    }
}
