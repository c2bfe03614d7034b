package io.erpsync.store;

import io.erpsync.core.Texts;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The exception queue (sync_exception). One OPEN row per item: a newer failure updates it, a newer
 * successful sync closes it. Rows carry a version column for optimistic updates by replays.
 */
public final class ExceptionQueue {
    private final DataSource ds;

    public ExceptionQueue(DataSource ds) {
        this(ds, TargetColumn.ERP);
    }

    private final String target;
    /** Before an item's key in open_key: none for the ERP (rows from before), target: for another target. */
    private final String keyPrefix;

    private ExceptionQueue(DataSource ds, String target) {
        this.ds = ds;
        this.target = TargetColumn.check(target);
        this.keyPrefix = TargetColumn.ERP.equals(target) ? "" : target + ":";
    }

    /** The exception rows of one target (setting targets): those it parks, settles, lists and replays. */
    public ExceptionQueue forTarget(String target) {
        return new ExceptionQueue(ds, target);
    }

    public String target() {
        return target;
    }

    /** Column sizes (V1__store.sql): longer names (a malformed WMS row) are kept cut, the reason says how long they were. */
    private static final int ITEM = 300;
    private static final int ORG = 100;
    private static final int SEGMENT = 300;
    private static final int OWNER = 100;

    /** item|organization, the open_key of an item's OPEN row (null for a row that names no item). */
    public static String key(String item, String org) {
        return item == null ? null : Texts.cut(item, ITEM) + "|" + (org == null ? "" : Texts.cut(org, ORG));
    }

    /**
     * Parks a BOM change as an item row (the component as its item, the bill as its segment) with the
     * change's ids: its OPEN row (open_key bom:change_id) is updated if it has one, else inserted.
     */
    public void parkBom(BomParked p, long runId, Instant at) {
        park(p.asItem(), runId, at, "bom:" + p.changeId(), p);
    }

    private static String fieldList(BomParked bom) {
        return bom.fields() == null || bom.fields().isEmpty() ? null : String.join(",", new TreeSet<>(bom.fields()));
    }

    /**
     * The parked (or being replayed) BOM changes of one component of a bill that own one of these
     * fields, in request order, other than the change itself: the earlier changes of ours a change of
     * that component and field waits for. The component is named by its id or, before it was read,
     * by its item number.
     */
    public List<ExceptionRow> bomChain(long billId, Long componentId, String itemNumber, long changeId, Collection<String> fields) {
        List<Object> args = new ArrayList<>(List.of(billId, changeId));
        String component = componentId != null && itemNumber != null ? "(component_sequence_id = ? OR item_number = ?)"
                : componentId != null ? "component_sequence_id = ?" : "item_number = ?";
        if (componentId != null) {
            args.add(componentId);
        }
        if (itemNumber != null) {
            args.add(itemNumber);
        }
        List<ExceptionRow> rows = select(" WHERE kind = 'BOM' AND open_key IS NOT NULL AND bill_sequence_id = ? AND change_id <> ? AND "
                + component + " ORDER BY source_updated_at, change_id", args, 0);
        return rows.stream().filter(r -> r.ownsAnyOf(fields)).toList();
    }

    /** The OPEN BOM changes that wait for this change (WAITING_FOR_CHANGE), in request order. */
    public List<ExceptionRow> waitingFor(long changeId) {
        return select(" WHERE kind = 'BOM' AND status = 'OPEN' AND failure_class = 'WAITING_FOR_CHANGE' AND waits_for_change = ?"
                + " ORDER BY source_updated_at, change_id", List.of(changeId), 0);
    }

    /** True conflicts (CONFLICT) of BOM changes to this bill parked since {@code since}. */
    public int bomConflictsSince(long billId, Instant since) {
        String sql = "SELECT COUNT(*) FROM sync_exception WHERE kind = 'BOM' AND bill_sequence_id = ? AND failure_class = 'CONFLICT' "
                + "AND first_failure_at >= ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, billId);
            Jdbc.setInstant(ps, 2, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException("counting the conflicts of bill " + billId, e);
        }
    }

    /** Parks an item: updates its OPEN row if it has one, else inserts one. */
    public void park(ParkedItem p, long runId, Instant at) {
        String key = key(p.itemNumber(), p.organizationCode());
        park(p, runId, at, key == null ? null : keyPrefix + key, null);
    }

    private void park(ParkedItem p, long runId, Instant at, String key, BomParked bom) {
        try (Connection c = ds.getConnection()) {
            if (key != null && update(c, p, runId, at, key, bom) > 0) {
                return;
            }
            try {
                insert(c, p, runId, at, key, bom);
            } catch (SQLException duplicate) {
                // another writer inserted the open row between our update and insert: update it instead
                if (key == null || update(c, p, runId, at, key, bom) == 0) {
                    throw duplicate;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("parking " + p.itemNumber() + " in the exception queue", e);
        }
    }

    private static int update(Connection c, ParkedItem p, long runId, Instant at, String key, BomParked bom) throws SQLException {
        // a BOM change parked again may now wait for another change, or no longer wait
        String sql = "UPDATE sync_exception SET segment = ?, wanted_quantity = ?, source_updated_at = ?, failure_class = ?, reason = ?, "
                + "http_status = ?, erp_message = ?, lock_owner = ?, attempts = attempts + 1, last_failure_at = ?, run_id = ?, "
                + "status = 'OPEN', version = version + 1" + (bom == null ? "" : ", bom_fields = ?, waits_for_change = ?")
                + " WHERE open_key = ? AND " + RunFence.HELD;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, Texts.cut(p.segment(), SEGMENT));
            ps.setBigDecimal(2, p.wantedQuantity());
            Jdbc.setInstant(ps, 3, p.sourceUpdatedAt());
            ps.setString(4, p.failureClass().name());
            ps.setString(5, Texts.cut(p.reason()));
            Jdbc.setInteger(ps, 6, p.httpStatus());
            ps.setString(7, Texts.cut(p.erpMessage()));
            ps.setString(8, Texts.cut(p.lockOwner(), OWNER));
            Jdbc.setInstant(ps, 9, at);
            ps.setLong(10, runId);
            int next = 11;
            if (bom != null) {
                ps.setString(next++, fieldList(bom));
                ps.setObject(next++, bom.waitsFor(), Types.BIGINT);
            }
            ps.setString(next++, key);
            ps.setLong(next, runId);
            return ps.executeUpdate();
        }
    }

    /** The row; a BOM change's also names its change, bill and component (kind BOM). */
    private void insert(Connection c, ParkedItem p, long runId, Instant at, String key, BomParked bom) throws SQLException {
        String sql = "INSERT INTO sync_exception (item_number, organization_code, segment, wanted_quantity, source_updated_at, "
                + "failure_class, reason, http_status, erp_message, lock_owner, attempts, first_failure_at, last_failure_at, "
                + "status, run_id, open_key, version, target" + (bom == null ? ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'OPEN', ?, ?, 0, '" + target + "'"
                : ", kind, change_id, bill_sequence_id, component_sequence_id, bom_fields, waits_for_change) "
                + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'OPEN', ?, ?, 0, 'erp', 'BOM', ?, ?, ?, ?, ?") + " WHERE " + RunFence.HELD;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, Texts.cut(p.itemNumber(), ITEM));
            ps.setString(2, Texts.cut(p.organizationCode(), ORG));
            ps.setString(3, Texts.cut(p.segment(), SEGMENT));
            ps.setBigDecimal(4, p.wantedQuantity());
            Jdbc.setInstant(ps, 5, p.sourceUpdatedAt());
            ps.setString(6, p.failureClass().name());
            ps.setString(7, Texts.cut(p.reason()));
            Jdbc.setInteger(ps, 8, p.httpStatus());
            ps.setString(9, Texts.cut(p.erpMessage()));
            ps.setString(10, Texts.cut(p.lockOwner(), OWNER));
            Jdbc.setInstant(ps, 11, at);
            Jdbc.setInstant(ps, 12, at);
            ps.setLong(13, runId);
            ps.setString(14, key);
            if (bom != null) {
                ps.setLong(15, bom.changeId());
                ps.setObject(16, bom.billId(), Types.BIGINT);
                ps.setObject(17, bom.componentId(), Types.BIGINT);
                ps.setString(18, fieldList(bom));
                ps.setObject(19, bom.waitsFor(), Types.BIGINT);
            }
            ps.setLong(bom == null ? 15 : 20, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Claims an OPEN row for a replay: {@code UPDATE ... WHERE id = ? AND version = ?}, so that of two
     * replays (two operators, two nodes) holding the same version, exactly one gets the row.
     */
    public boolean claimForReplay(ExceptionRow row) {
        String sql = "UPDATE sync_exception SET status = 'REPLAYED', version = version + 1 "
                + "WHERE id = ? AND version = ? AND status = 'OPEN'";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, row.id());
            ps.setInt(2, row.version());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("claiming exception " + row.id() + " for replay", e);
        }
    }

    /**
     * Rows a replay claimed and ended without an outcome for (it failed, or the item could not be sent):
     * OPEN again, so they are neither lost nor hidden from the next replay. Returns how many were.
     */
    public int reopenReplayed(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        String sql = "UPDATE sync_exception SET status = 'OPEN', version = version + 1 WHERE id = ? AND status = 'REPLAYED'";
        int n = 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (long id : ids) {
                ps.setLong(1, id);
                n += ps.executeUpdate();
            }
            return n;
        } catch (SQLException e) {
            throw new StoreException("opening again exceptions " + ids + " a replay left without an outcome", e);
        }
    }

    /**
     * Closes the OPEN rows of items that have just reached the ERP (or were found already equal):
     * SUPERSEDED when the synced WMS value is newer than the parked one, RESOLVED otherwise. A row
     * parked for a newer WMS row stays OPEN. Returns the keys whose row was closed; one round trip.
     * Nothing is closed for a run that lost its lease.
     */
    public Set<String> settle(Map<String, Instant> syncedAtByKey, Instant at, long runId) {
        Set<String> closed = new HashSet<>();
        if (syncedAtByKey.isEmpty()) {
            return closed;
        }
        // a row parked for a newer WMS row than the one that landed stays open: that newer change has not reached the ERP
        String sql = "UPDATE sync_exception SET status = CASE WHEN status = 'REPLAYED' THEN 'RESOLVED' "
                + "WHEN source_updated_at IS NULL OR source_updated_at < ? THEN 'SUPERSEDED' ELSE 'RESOLVED' END, "
                + "open_key = NULL, resolved_at = ?, version = version + 1 WHERE open_key = ? "
                + "AND (source_updated_at IS NULL OR source_updated_at <= ?) AND " + RunFence.HELD;
        List<String> keys = new ArrayList<>(syncedAtByKey.keySet());
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (String key : keys) {
                Instant syncedAt = syncedAtByKey.get(key);
                Jdbc.setInstant(ps, 1, syncedAt);
                Jdbc.setInstant(ps, 2, at);
                ps.setString(3, keyPrefix + key);
                Jdbc.setInstant(ps, 4, syncedAt);
                ps.setLong(5, runId);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    closed.add(keys.get(i));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("closing exception rows of synced items", e);
        }
        return closed;
    }

    /** The keys (item|organization) of the items that have an exception row not yet closed. */
    public Set<String> openKeys() {
        Set<String> out = new HashSet<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT open_key FROM sync_exception WHERE open_key IS NOT NULL" + TargetColumn.and(target)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String k = rs.getString(1);
                out.add(k.startsWith(keyPrefix) ? k.substring(keyPrefix.length()) : k);
            }
        } catch (SQLException e) {
            throw new StoreException("reading the open exceptions", e);
        }
        return out;
    }

    /** OPEN rows counted by failure class. */
    public Map<String, Integer> openByClass() {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT failure_class, COUNT(*) FROM sync_exception WHERE status = 'OPEN'" + TargetColumn.and(target) + " GROUP BY failure_class");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new StoreException("counting open exceptions", e);
        }
        return out;
    }

    /** Rows with the given status (or all when null), oldest first. */
    public List<ExceptionRow> list(String status) {
        return find(status, ReplayFilter.parse("all"), false, 0);
    }

    /** OPEN rows matching a replay filter, oldest first: what a replay takes. */
    public List<ExceptionRow> open(ReplayFilter filter) {
        return find("OPEN", filter, false, 0);
    }

    /** Rows with the status (any when null) that match the filter, newest first, at most limit: what the status page lists. */
    public List<ExceptionRow> newest(String status, ReplayFilter filter, int limit) {
        return find(status, filter, true, limit);
    }

    private List<ExceptionRow> find(String status, ReplayFilter filter, boolean newestFirst, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1" + TargetColumn.and(target));
        if (status != null) {
            where.append(" AND status = ?");
            args.add(status);
        }
        if (filter.id() != null) {
            where.append(" AND id = ?");
            args.add(filter.id());
        }
        if (filter.itemNumber() != null) {
            where.append(" AND item_number = ?");
            args.add(filter.itemNumber());
        }
        if (filter.failureClass() != null) {
            where.append(" AND failure_class = ?");
            args.add(filter.failureClass());
        }
        return select(where + " ORDER BY id" + (newestFirst ? " DESC" : ""), args, limit);
    }

    private List<ExceptionRow> select(String whereAndOrder, List<Object> args, int limit) {
        String sql = "SELECT * FROM sync_exception" + whereAndOrder;
        List<ExceptionRow> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExceptionRow(rs.getLong("id"), rs.getString("item_number"), rs.getString("organization_code"),
                            rs.getString("segment"), rs.getBigDecimal("wanted_quantity"), Jdbc.getInstant(rs, "source_updated_at"),
                            rs.getString("failure_class"), rs.getString("reason"), Jdbc.getInteger(rs, "http_status"),
                            rs.getString("erp_message"), rs.getString("lock_owner"), rs.getInt("attempts"),
                            Jdbc.getInstant(rs, "first_failure_at"), Jdbc.getInstant(rs, "last_failure_at"),
                            rs.getString("status"), rs.getInt("version"), rs.getString("kind"), Jdbc.getLong(rs, "change_id"),
                            Jdbc.getLong(rs, "bill_sequence_id"), Jdbc.getLong(rs, "component_sequence_id"), rs.getString("bom_fields"),
                            Jdbc.getLong(rs, "waits_for_change")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading the exception queue", e);
        }
        return out;
    }

}
