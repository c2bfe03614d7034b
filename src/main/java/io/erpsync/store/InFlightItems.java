package io.erpsync.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * sync_in_flight: which items a run's write requests hold, recorded before they are sent, one row per
 * batch (a store write per batch, not per item). No check before a send can close the gap between the
 * check and the send (a process can freeze right there), so a run that lost its lease leaves these rows
 * behind, and the next cycles compare those items again, ERP against the newest WMS row, whatever the
 * watermark says (README: Cluster mode).
 */
public final class InFlightItems {
    /** Items per row at most: a row stays well inside its column (VARCHAR(1000000)). */
    static final int PER_ROW = 1000;

    /** An item of a write request. */
    public record Item(String itemNumber, String organizationCode, String segment) {
        public String key() {
            return ExceptionQueue.key(itemNumber, organizationCode);
        }
    }

    /**
     * An item left by a run that did not end under its lease, in row {@code rowId}; {@code drained}:
     * that run's process has since seen the loss with no request on its way, so one more comparison is
     * the last one needed; {@code lostAt}: when its run was recorded FAILED.
     */
    public record Orphan(long rowId, long runId, Item item, boolean drained, Instant lostAt) {
    }

    private final DataSource ds;

    public InFlightItems(DataSource ds) {
        this(ds, TargetColumn.ERP);
    }

    private final String target;

    private InFlightItems(DataSource ds, String target) {
        this.ds = ds;
        this.target = TargetColumn.check(target);
    }

    /** The same records, whose orphans are those of the runs of {@code target}. */
    public InFlightItems forTarget(String target) {
        return new InFlightItems(ds, target);
    }

    /**
     * Records items of run {@code runId} about to be written. A run that lost its lease records nothing
     * and gets {@link LeaseLost}: its write must not go out with no record for the run that took over.
     */
    public void record(long runId, Collection<Item> items, Instant at) {
        if (items.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO sync_in_flight (run_id, items, recorded_at) SELECT ?, ?, ? WHERE " + RunFence.HELD;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (List<Item> part : parts(items)) {
                ps.setLong(1, runId);
                ps.setString(2, encode(part));
                Jdbc.setInstant(ps, 3, at);
                ps.setLong(4, runId);
                ps.addBatch();
            }
            for (int inserted : ps.executeBatch()) {
                if (inserted == 0) {
                    throw new LeaseLost("run " + runId + " lost its lease before its write: recorded nothing in flight, sends nothing");
                }
            }
        } catch (SQLException e) {
            throw new StoreException("recording the items of a write of run " + runId, e);
        }
    }

    /** The items left by runs other than {@code runId}. */
    public List<Orphan> orphans(long runId) {
        String sql = "SELECT f.id, f.run_id, f.items, f.drained, r.finished_at FROM sync_in_flight f "
                + "LEFT JOIN sync_run r ON r.id = f.run_id WHERE f.run_id <> ? AND "
                + (TargetColumn.ERP.equals(target) ? "(r.target IS NULL OR r.target = 'erp')" : "r.target = '" + target + "'") + " ORDER BY f.id";
        List<Orphan> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long row = rs.getLong(1);
                    long run = rs.getLong(2);
                    boolean drained = rs.getBoolean(4);
                    Instant lostAt = Jdbc.getInstant(rs, "finished_at");
                    for (Item i : decode(rs.getString(3))) {
                        out.add(new Orphan(row, run, i, drained, lostAt));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading the items left in flight by earlier runs", e);
        }
        return out;
    }

    /** The run ended under its lease, every answer in: its rows go (nothing when it lost its lease, then they are orphans). */
    public void forget(long runId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM sync_in_flight WHERE run_id = ? AND " + RunFence.HELD)) {
            ps.setLong(1, runId);
            ps.setLong(2, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("removing the in-flight items of run " + runId, e);
        }
    }

    /**
     * Run {@code runId} lost its lease and has no request on its way any more: its rows say so, so the
     * next cycle's comparison is the last one needed. Its own rows only; nothing of the run that took over
     * (which keeps an undrained row until it is drained or sync.lease.repair-for has passed).
     */
    public void drained(long runId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE sync_in_flight SET drained = TRUE WHERE run_id = ?")) {
            ps.setLong(1, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording that run " + runId + " has no write on its way", e);
        }
    }

    /** The rows of orphans compared by run {@code byRunId} for the last time: removed (nothing when that run lost its lease). */
    public void repaired(long byRunId, Collection<Orphan> done) {
        Set<Long> rows = new TreeSet<>();
        done.forEach(o -> rows.add(o.rowId()));
        if (rows.isEmpty()) {
            return;
        }
        String sql = "DELETE FROM sync_in_flight WHERE id = ? AND " + RunFence.HELD;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (long row : rows) {
                ps.setLong(1, row);
                ps.setLong(2, byRunId);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("removing repaired in-flight items", e);
        }
    }

    private static List<List<Item>> parts(Collection<Item> items) {
        List<List<Item>> out = new ArrayList<>();
        List<Item> all = new ArrayList<>(items);
        for (int i = 0; i < all.size(); i += PER_ROW) {
            out.add(all.subList(i, Math.min(all.size(), i + PER_ROW)));
        }
        return out;
    }

    /** One item a line, its three fields apart by tabs; a tab, line break or backslash in a field is escaped. */
    static String encode(List<Item> items) {
        StringBuilder b = new StringBuilder(items.size() * 48);
        for (Item i : items) {
            b.append(escape(i.itemNumber())).append('\t').append(escape(i.organizationCode())).append('\t')
                    .append(escape(i.segment())).append('\n');
        }
        return b.toString();
    }

    static List<Item> decode(String text) {
        List<Item> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            out.add(new Item(unescape(f[0]), unescape(f[1]), f.length > 2 ? unescape(f[2]) : null));
        }
        return out;
    }

    private static String escape(String s) {
        if (s == null) {
            return "\\0";
        }
        if (!needsEscape(s)) {
            return s;
        }
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static boolean needsEscape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' || ch == '\t' || ch == '\n') {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String s) {
        if (s.equals("\\0")) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
