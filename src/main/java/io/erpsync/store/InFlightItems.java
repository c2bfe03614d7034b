package io.erpsync.store;

import io.erpsync.core.Texts;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * sync_in_flight: which items a run's write requests hold, recorded before they are sent. No check
 * before a send can close the gap between the check and the send (a process can freeze right there),
 * so a run that lost its lease leaves these rows behind, and the next cycles compare those items again,
 * ERP against the newest WMS row, whatever the watermark says (README: Cluster mode).
 */
public final class InFlightItems {
    /** An item of a write request. */
    public record Item(String itemNumber, String organizationCode, String segment) {
        public String key() {
            return ExceptionQueue.key(itemNumber, organizationCode);
        }
    }

    /**
     * An item left by a run that did not end under its lease; {@code drained}: that run's process has
     * since seen the loss with no request on its way, so one more comparison is the last one needed;
     * {@code lostAt}: when its run was recorded FAILED.
     */
    public record Orphan(long runId, Item item, boolean drained, Instant lostAt) {
    }

    private final DataSource ds;

    public InFlightItems(DataSource ds) {
        this.ds = ds;
    }

    /** Records items of run {@code runId} about to be written (nothing when the run lost its lease). */
    public void record(long runId, Collection<Item> items, Instant at) {
        if (items.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO sync_in_flight (run_id, item_number, organization_code, segment, recorded_at) SELECT ?, ?, ?, ?, ? "
                + "WHERE " + RunFence.HELD;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (Item i : items) {
                bind(ps, runId, i, at);
                ps.setLong(6, runId);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("recording the items of a write of run " + runId, e);
        }
    }

    private static void bind(PreparedStatement ps, long runId, Item i, Instant at) throws SQLException {
        ps.setLong(1, runId);
        ps.setString(2, Texts.cut(i.itemNumber(), 300));
        ps.setString(3, Texts.cut(i.organizationCode(), 100));
        ps.setString(4, Texts.cut(i.segment(), 300));
        Jdbc.setInstant(ps, 5, at);
    }

    /** The items left by runs other than {@code runId}. */
    public List<Orphan> orphans(long runId) {
        String sql = "SELECT f.run_id, f.item_number, f.organization_code, f.segment, f.drained, r.finished_at FROM sync_in_flight f "
                + "LEFT JOIN sync_run r ON r.id = f.run_id WHERE f.run_id <> ? ORDER BY f.run_id";
        List<Orphan> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Orphan(rs.getLong(1), new Item(rs.getString(2), rs.getString(3), rs.getString(4)), rs.getBoolean(5),
                            Jdbc.getInstant(rs, "finished_at")));
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
     * Run {@code runId} lost its lease and has no request on its way any more: its rows (written again,
     * in case a cycle already removed them) say so, so the next cycle's comparison is the last one needed.
     * Its own rows only; nothing of the run that took over.
     */
    public void drained(long runId, Collection<Item> items) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM sync_in_flight WHERE run_id = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO sync_in_flight (run_id, item_number, organization_code, segment, "
                         + "recorded_at, drained) VALUES (?, ?, ?, ?, ?, TRUE)")) {
                del.setLong(1, runId);
                del.executeUpdate();
                Instant now = Instant.now();
                for (Item i : items) {
                    bind(ins, runId, i, now);
                    ins.addBatch();
                }
                ins.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("recording that run " + runId + " has no write on its way", e);
        }
    }

    /** Orphans compared again by run {@code byRunId} for the last time: removed (nothing when that run lost its lease). */
    public void repaired(long byRunId, Collection<Orphan> done) {
        if (done.isEmpty()) {
            return;
        }
        String sql = "DELETE FROM sync_in_flight WHERE run_id = ? AND item_number = ? AND organization_code = ? AND " + RunFence.HELD;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (Orphan o : done) {
                ps.setLong(1, o.runId());
                ps.setString(2, o.item().itemNumber());
                ps.setString(3, o.item().organizationCode());
                ps.setLong(4, byRunId);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("removing repaired in-flight items", e);
        }
    }
}
