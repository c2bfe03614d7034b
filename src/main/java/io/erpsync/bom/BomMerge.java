package io.erpsync.bom;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three-way merge of one change against the component as the ERP holds it, field by field of
 * the fields the change owns: the ERP still has the old value, so the new one is sent; it has the
 * new one already, so nothing is; it has a third value, which another user set: a true conflict,
 * and nothing of the change is sent. A value our own latest change wrote to the field is not a third
 * value: the change is judged against the component as our earlier changes left it, and sent. Fields
 * the change does not own are never looked at.
 */
public final class BomMerge {
    private BomMerge() {
    }

    /** A field another user changed: the value the requester saw, the one wanted, the ERP's. */
    public record Conflict(String field, Object old, Object ours, Object theirs) {
        @Override
        public String toString() {
            return field + ": was " + show(old) + ", ours " + show(ours) + ", theirs " + show(theirs);
        }
    }

    /** What to do: send these fields, or nothing (all applied already), or park for these conflicts. */
    public record Decision(Map<String, Object> send, List<Conflict> conflicts) {
        public boolean alreadyApplied() {
            return send.isEmpty() && conflicts.isEmpty();
        }

        public boolean conflicted() {
            return !conflicts.isEmpty();
        }
    }

    public static Decision merge(BomChange change, Map<String, Object> erp) {
        return merge(change, erp, Map.of());
    }

    /** The merge, where {@code ours} holds by field the value our own latest applied change wrote to this component. */
    public static Decision merge(BomChange change, Map<String, Object> erp, Map<String, Object> ours) {
        Map<String, Object> send = new LinkedHashMap<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (Map.Entry<String, BomChange.Field> e : change.fields().entrySet()) {
            String field = e.getKey();
            Object theirs = erp.get(field);
            BomChange.Field f = e.getValue();
            if (same(field, theirs, f.wanted())) {
                continue;
            }
            if (same(field, theirs, f.old()) || (ours.containsKey(field) && same(field, theirs, ours.get(field)))) {
                send.put(field, f.wanted());
            } else {
                conflicts.add(new Conflict(field, f.old(), f.wanted(), theirs));
            }
        }
        return new Decision(conflicts.isEmpty() ? send : Map.of(), conflicts);
    }

    /** Numbers by value (5, 5.0 and 5.00 are one), text with null as empty. */
    static boolean same(String field, Object a, Object b) {
        if (BomRows.NUMERIC.contains(field)) {
            BigDecimal x = BomRows.decimal(a);
            BigDecimal y = BomRows.decimal(b);
            return x == null ? y == null : y != null && x.compareTo(y) == 0;
        }
        return text(a).equals(text(b));
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static String show(Object o) {
        return o == null ? "(none)" : o instanceof String s ? "'" + s + "'" : o instanceof BigDecimal b ? b.toPlainString() : String.valueOf(o);
    }
}
