package io.erpsync.check;

import io.erpsync.sandbox.RequestLog;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * erp-sync's promise, checked after the fact: every WMS change reached the ERP with the newest
 * value or sits in the exception queue with a reason; no older WMS value was applied after a newer
 * one; nothing another user wrote was overwritten.
 *
 * <p>What the ERP applied comes from the sandbox's change history (the ground truth, including
 * writes whose answer was lost); what the runtime sent comes from its request log (a write without
 * an answer, status -1, "may have applied"); the WMS values and their times are the rows of the
 * WMS table (tests only ever insert rows there, so the table is its own history); the OPEN rows come
 * from the store. On failure the message names each item and lists its writes in order.
 */
public final class HistoryChecker {
    /** The only field erp-sync writes; every other field belongs to other users. */
    static final String OWNED = "OnhandQuantity";
    static final String CLIENT = "client";

    private final ErpView erp;
    private final String wmsUrl;
    private final String storeUrl;
    private String wmsTable = "stock_level";

    public HistoryChecker(SandboxErp erp, String wmsUrl, String storeUrl) {
        this(ErpView.of(erp), wmsUrl, storeUrl);
    }

    public HistoryChecker(ErpView erp, String wmsUrl, String storeUrl) {
        this.erp = erp;
        this.wmsUrl = wmsUrl;
        this.storeUrl = storeUrl;
    }

    /** One WMS value of an item and when the WMS says it changed. */
    record WmsValue(BigDecimal quantity, String raw, Instant at) {
    }

    /** An OPEN exception row. */
    record Open(long id, String reason, String failureClass) {
    }

    /** The verdict: what was checked and every problem found, each naming its item. */
    public record Report(int items, int synced, int parked, int pending, int clientWrites, int repaired, List<String> problems) {
        public boolean holds() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            return items + " items checked: " + synced + " hold the newest WMS value, " + parked + " are parked with a reason, "
                    + pending + " wait above the watermark for the next cycle; "
                    + clientWrites + " writes applied" + (repaired == 0 ? "" : ", " + repaired + " older values repaired in time")
                    + (problems.isEmpty() ? "" : "; " + problems.size() + " problems:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(40, problems.size())))
                    + (problems.size() > 40 ? "\n  ... and " + (problems.size() - 40) + " more" : ""));
        }
    }

    private java.time.Duration repairWithin;

    /**
     * Across processes, a write let go just before its node froze can land after the run that took
     * over wrote a newer value; the promise is then that the take-over's repair writes the newest value
     * again within {@code d}. An older value after a newer one passes only when a write no older than
     * the newer one follows within {@code d}; counted in the report as repaired.
     */
    public HistoryChecker repairedWithin(java.time.Duration d) {
        this.repairWithin = d;
        return this;
    }

    public HistoryChecker table(String table) {
        this.wmsTable = table;
        return this;
    }

    /** Fails with every problem and the writes of each item concerned. */
    public Report assertHolds() {
        Report r = check();
        if (!r.holds()) {
            throw new AssertionError("the history check failed: " + r);
        }
        return r;
    }

    public Report check() {
        Map<String, List<WmsValue>> wms = wmsValues();
        Map<String, List<Open>> open = openRows();
        List<SandboxItems.Change> history = erp.history();
        Map<String, List<SandboxItems.Change>> applied = new HashMap<>();
        Map<String, Map<String, Object>> othersLast = new HashMap<>();
        int clientWrites = 0;
        List<String> problems = new ArrayList<>();
        for (SandboxItems.Change c : history) {
            String key = key(c.itemNumber(), c.organizationCode());
            if (CLIENT.equals(c.by())) {
                if (!OWNED.equals(c.field())) {
                    problems.add(key + ": erp-sync wrote " + c.field() + " = " + c.value() + " at " + c.at()
                            + ", a field it does not own");
                    continue;
                }
                clientWrites++;
                applied.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            } else if (!OWNED.equals(c.field())) {
                othersLast.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(c.field(), c.value());
            }
        }
        Map<Long, List<String>> sent = sentWrites();
        int synced = 0;
        int parked = 0;
        int pending = 0;
        Instant watermark = watermark();
        int[] repaired = new int[1];
        for (Map.Entry<String, List<WmsValue>> e : wms.entrySet()) {
            String key = e.getKey();
            List<WmsValue> values = e.getValue();
            String[] parts = key.split("\\|", 2);
            Map<String, Object> item = key.contains(MISSING) ? null : erp.item(parts[0], parts[1]);
            List<Open> rows = open.getOrDefault(key, List.of());
            if (rows.size() > 1 && !key.contains(MISSING)) {
                problems.add(key + ": " + rows.size() + " OPEN exception rows " + rows.stream().map(Open::id).toList());
            }
            WmsValue newest = values.get(values.size() - 1);
            BigDecimal inErp = item == null ? null : decimal(item.get(OWNED));
            boolean holdsNewest = inErp != null && newest.quantity() != null && newest.quantity().compareTo(inErp) == 0;
            if (holdsNewest) {
                synced++;
            } else if (!rows.isEmpty() && rows.get(0).reason() != null && !rows.get(0).reason().isBlank()) {
                parked++;
            } else if (newest.at() != null && (watermark == null || newest.at().isAfter(watermark))) {
                // not lost: the next cycle reads the row (deferred by the breaker, or a run that failed)
                pending++;
            } else {
                problems.add(key + ": the ERP holds " + inErp + ", the newest WMS value is " + newest.raw() + " (" + newest.at()
                        + "), and no OPEN exception row names the item" + writes(key, item, values, applied, sent));
            }
            String order = order(values, applied.getOrDefault(key, List.of()), repairWithin, repaired);
            if (order != null) {
                problems.add(key + ": " + order + writes(key, item, values, applied, sent));
            }
        }
        for (String key : applied.keySet()) {
            if (!wms.containsKey(key)) {
                problems.add(key + ": erp-sync wrote an item the WMS never named" + writes(key, null, List.of(), applied, sent));
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : othersLast.entrySet()) {
            String[] parts = e.getKey().split("\\|", 2);
            Map<String, Object> item = erp.item(parts[0], parts[1]);
            for (Map.Entry<String, Object> f : e.getValue().entrySet()) {
                Object now = item == null ? null : item.get(f.getKey());
                if (!String.valueOf(f.getValue()).equals(String.valueOf(now))) {
                    problems.add(e.getKey() + ": another user's " + f.getKey() + " = " + f.getValue() + " was overwritten with " + now);
                }
            }
        }
        return new Report(wms.size(), synced, parked, pending, clientWrites, repaired[0], problems);
    }

    /**
     * Null when the applied values follow the WMS order: each applied value is a WMS value no older
     * than the one applied before it (matched greedily to the oldest such version, which is the most
     * lenient choice for what follows). Otherwise, what went wrong.
     */
    static String order(List<WmsValue> versions, List<SandboxItems.Change> applied) {
        return order(versions, applied, null, new int[1]);
    }

    /** As above; with {@code repairWithin}, an older value followed in time by one no older than the floor is counted in {@code repaired}. */
    static String order(List<WmsValue> versions, List<SandboxItems.Change> applied, java.time.Duration repairWithin, int[] repaired) {
        int floor = 0;
        for (int i = 0; i < applied.size(); i++) {
            SandboxItems.Change c = applied.get(i);
            BigDecimal v = decimal(c.value());
            int found = versionFrom(versions, floor, v);
            if (found < 0) {
                boolean everInWms = versionFrom(versions, 0, v) >= 0;
                if (everInWms && repairWithin != null && i + 1 < applied.size()
                        && versionFrom(versions, floor, decimal(applied.get(i + 1).value())) >= 0
                        && !applied.get(i + 1).at().isAfter(c.at().plus(repairWithin))) {
                    repaired[0]++;
                    continue;
                }
                return everInWms
                        ? "an older WMS value " + c.value() + " was applied at " + c.at() + " after a newer one"
                        + (repairWithin == null ? "" : ", and not repaired within " + repairWithin)
                        : "the value " + c.value() + " applied at " + c.at() + " was never a WMS value of the item";
            }
            floor = found;
        }
        return null;
    }

    /** The index of the first WMS version from {@code floor} on with value {@code v}, or -1. */
    private static int versionFrom(List<WmsValue> versions, int floor, BigDecimal v) {
        for (int j = floor; j < versions.size(); j++) {
            if (versions.get(j).quantity() != null && v != null && versions.get(j).quantity().compareTo(v) == 0) {
                return j;
            }
        }
        return -1;
    }

    private String writes(String key, Map<String, Object> item, List<WmsValue> values, Map<String, List<SandboxItems.Change>> applied,
                          Map<Long, List<String>> sent) {
        StringBuilder b = new StringBuilder();
        b.append("\n      WMS values: ");
        for (WmsValue v : values) {
            b.append(v.raw()).append(" @").append(v.at()).append("  ");
        }
        b.append("\n      applied by the ERP: ");
        for (SandboxItems.Change c : applied.getOrDefault(key, List.of())) {
            b.append(c.value()).append(" @").append(c.at()).append(" (v").append(c.version()).append(")  ");
        }
        Object id = item == null ? null : item.get("ItemId");
        if (id instanceof Number n) {
            b.append("\n      writes sent: ").append(String.join("  ", sent.getOrDefault(n.longValue(), List.of())));
        }
        return b.toString();
    }

    /** The writes the runtime sent, by item id: value, answer (-1: no answer, may have applied) and time. */
    private Map<Long, List<String>> sentWrites() {
        Map<Long, List<String>> out = new HashMap<>();
        for (RequestLog.Entry e : erp.writes()) {
            for (Long id : e.items()) {
                String q = e.quantities().get(id);
                out.computeIfAbsent(id, k -> new ArrayList<>()).add(e.method() + " " + q + " -> "
                        + (e.status() < 0 ? "no answer (may have applied)" : String.valueOf(e.status())) + " @" + e.receivedAt());
            }
        }
        return out;
    }

    private Map<String, List<WmsValue>> wmsValues() {
        Map<String, List<WmsValue>> out = new TreeMap<>();
        String sql = "SELECT item_number, organization_code, quantity, updated_at FROM " + wmsTable + " ORDER BY updated_at";
        try (Connection c = DriverManager.getConnection(wmsUrl); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String item = rs.getString(1);
                String org = rs.getString(2);
                String raw = rs.getString(3);
                java.sql.Timestamp at = rs.getTimestamp(4);
                out.computeIfAbsent(key(item, org), k -> new ArrayList<>())
                        .add(new WmsValue(decimal(raw), raw, at == null ? null : at.toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the WMS history from " + wmsUrl, e);
        }
        return out;
    }

    private Map<String, List<Open>> openRows() {
        Map<String, List<Open>> out = new HashMap<>();
        String sql = "SELECT id, item_number, organization_code, reason, failure_class FROM sync_exception WHERE status = 'OPEN'";
        try (Connection c = DriverManager.getConnection(storeUrl); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.computeIfAbsent(key(rs.getString(2), rs.getString(3)), k -> new ArrayList<>())
                        .add(new Open(rs.getLong(1), rs.getString(4), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the exception queue from " + storeUrl, e);
        }
        return out;
    }

    /** The committed WMS watermark: rows after it are read by the next cycle. */
    private Instant watermark() {
        String sql = "SELECT mark FROM sync_watermark WHERE name = 'wms'";
        try (Connection c = DriverManager.getConnection(storeUrl); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1, java.time.OffsetDateTime.class).toInstant() : null;
        } catch (SQLException e) {
            return null; // no store tables yet: nothing was committed
        }
    }

    /** The items (item|organization) that hold an OPEN exception row, with its reason. */
    public Map<String, String> openReasons() {
        Map<String, String> out = new TreeMap<>();
        openRows().forEach((k, v) -> out.put(k, v.get(0).failureClass() + ": " + v.get(0).reason()));
        return out;
    }

    /** A row without an item number (or organization) can only be parked; such rows share one key. */
    static final String MISSING = "<missing>";

    /** item|organization as the runtime keeps them: trimmed, blank is missing, cut to the store's column sizes. */
    static String key(String item, String org) {
        return name(item, 300) + "|" + name(org, 100);
    }

    private static String name(String s, int size) {
        if (s == null || s.isBlank()) {
            return MISSING;
        }
        String t = s.trim();
        return t.length() <= size ? t : t.substring(0, size);
    }

    /** A number as the ERP or the WMS holds it; null when it is not one (a malformed WMS row). */
    static BigDecimal decimal(Object v) {
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
