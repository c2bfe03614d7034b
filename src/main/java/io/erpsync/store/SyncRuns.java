package io.erpsync.store;

import io.erpsync.core.CycleSummary;
import io.erpsync.core.Texts;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The sync_run ledger: one row per cycle, written at its start and completed at its end. */
public final class SyncRuns {
    private final DataSource ds;
    private final String node;

    /** The ledger as this process writes it: every run it starts names {@code node} (its host and process). */
    public SyncRuns(DataSource ds, String node) {
        this(ds, node, TargetColumn.ERP);
    }

    private final String target;

    private SyncRuns(DataSource ds, String node, String target) {
        this.ds = ds;
        this.node = node;
        this.target = TargetColumn.check(target);
    }

    /** The ledger of one target's runs (setting targets): the rows it writes name it, the rows it reads are its. */
    public SyncRuns forTarget(String target) {
        return new SyncRuns(ds, node, target);
    }

    public String target() {
        return target;
    }

    public long start(String trigger, String status, Instant startedAt, Integer batchSize, Instant watermarkFrom, String message) {
        String sql = "INSERT INTO sync_run (trigger_kind, status, started_at, batch_size, watermark_from, message, node, target) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, trigger);
            ps.setString(2, status);
            Jdbc.setInstant(ps, 3, startedAt);
            Jdbc.setInteger(ps, 4, batchSize);
            Jdbc.setInstant(ps, 5, watermarkFrom);
            ps.setString(6, Texts.cut(message));
            ps.setString(7, node);
            ps.setString(8, "BOM".equals(trigger) ? TargetColumn.ERP : target);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("recording the start of a cycle", e);
        }
    }

    /**
     * The status of the newest cycle that did run (replays and skipped fires left out), if any: a
     * FAILED or COMPLETED_WITH_DEFERRED one kept its watermark short of rows it may have written.
     */
    public Optional<String> lastCycleStatus() {
        String sql = "SELECT status FROM sync_run WHERE trigger_kind NOT IN ('REPLAY', 'BOM') AND status NOT IN ('RUNNING', "
                + "'SKIPPED_OVERLAP', 'SKIPPED_JOB_RUNNING')" + TargetColumn.and(target) + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY";
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new StoreException("reading how the last cycle ended", e);
        }
    }

    /**
     * Records the end of a run; false when the run lost its lease (another process took it over and
     * recorded this run FAILED): then nothing is written.
     */
    public boolean finish(CycleSummary s, Instant finishedAt, Instant watermarkTo) {
        String sql = "UPDATE sync_run SET status = ?, finished_at = ?, duration_ms = ?, rows_read = ?, changed = ?, unchanged = ?, "
                + "updated = ?, conflicts = ?, retried = ?, parked = ?, deferred = ?, requests = ?, watermark_to = ?, message = ? WHERE id = ? "
                + "AND " + RunFence.HELD;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, s.status());
            Jdbc.setInstant(ps, 2, finishedAt);
            ps.setLong(3, s.durationMs());
            ps.setInt(4, s.read());
            ps.setInt(5, s.changed());
            ps.setInt(6, s.unchanged());
            ps.setInt(7, s.updated());
            ps.setInt(8, s.conflicts());
            ps.setInt(9, s.retried());
            ps.setInt(10, s.parked());
            ps.setInt(11, s.deferred());
            ps.setInt(12, s.requests());
            Jdbc.setInstant(ps, 13, watermarkTo);
            ps.setString(14, Texts.cut(s.message()));
            ps.setLong(15, s.runId());
            ps.setLong(16, s.runId());
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("recording the end of cycle " + s.runId(), e);
        }
    }

    /** Conflicts per row read: of the last real cycle, and over the cycles started since {@code since}. */
    public double[] conflictRates(Instant since) {
        String last = "SELECT conflicts, rows_read FROM sync_run WHERE status NOT IN ('RUNNING', 'SKIPPED_OVERLAP', 'SKIPPED_JOB_RUNNING') "
                + "AND trigger_kind NOT IN ('REPLAY', 'BOM')" + TargetColumn.and(target) + " ORDER BY id DESC";
        String window = "SELECT COALESCE(SUM(conflicts), 0), COALESCE(SUM(rows_read), 0) FROM sync_run WHERE started_at >= ? "
                + "AND trigger_kind NOT IN ('REPLAY', 'BOM')" + TargetColumn.and(target);
        try (Connection c = ds.getConnection(); PreparedStatement a = c.prepareStatement(last); PreparedStatement b = c.prepareStatement(window)) {
            a.setMaxRows(1);
            double lastRate = 0;
            try (ResultSet rs = a.executeQuery()) {
                if (rs.next()) {
                    lastRate = rate(rs.getLong(1), rs.getLong(2));
                }
            }
            Jdbc.setInstant(b, 1, since);
            try (ResultSet rs = b.executeQuery()) {
                rs.next();
                return new double[]{lastRate, rate(rs.getLong(1), rs.getLong(2))};
            }
        } catch (SQLException e) {
            throw new StoreException("reading conflict rates", e);
        }
    }

    private static double rate(long conflicts, long read) {
        return read == 0 ? 0 : Math.min(1.0, (double) conflicts / read);
    }

    /** A sync_run row: the cycle's figures, what started it, when, and on which node (host and process). */
    public record Run(CycleSummary summary, String trigger, Instant startedAt, String node) {
    }

    /** The newest cycles' figures, newest first. */
    public List<CycleSummary> latest(int limit) {
        return history(limit).stream().map(Run::summary).toList();
    }

    /** The newest stock runs (cycles and replays), newest first. */
    public List<Run> history(int limit) {
        return history(false, limit);
    }

    /** The newest BOM runs, newest first. */
    public List<Run> bomHistory(int limit) {
        return history(true, limit);
    }

    private List<Run> history(boolean bom, int limit) {
        String sql = "SELECT * FROM sync_run WHERE trigger_kind " + (bom ? "=" : "<>") + " 'BOM'" + (bom ? "" : TargetColumn.and(target))
                + " ORDER BY id DESC";
        List<Run> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer batch = Jdbc.getInteger(rs, "batch_size");
                    out.add(new Run(new CycleSummary(rs.getLong("id"), rs.getString("status"), rs.getInt("rows_read"), rs.getInt("changed"),
                            rs.getInt("unchanged"), rs.getInt("updated"), rs.getInt("conflicts"), rs.getInt("retried"),
                            rs.getInt("parked"), rs.getInt("deferred"), rs.getInt("requests"), rs.getLong("duration_ms"),
                            batch == null ? 0 : batch, rs.getString("message")), rs.getString("trigger_kind"),
                            Jdbc.getInstant(rs, "started_at"), rs.getString("node")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading sync_run", e);
        }
        return out;
    }
}
