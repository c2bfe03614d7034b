package io.erpsync.store;

import io.erpsync.core.FailureClass;
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
import java.util.Set;

/** The sync_attempt log: every ERP attempt that met a conflict or an error, with the delay chosen after it. */
public final class SyncAttempts {
    private final DataSource ds;

    public SyncAttempts(DataSource ds) {
        this(ds, TargetColumn.ERP);
    }

    private final String target;

    private SyncAttempts(DataSource ds, String target) {
        this.target = TargetColumn.check(target);
        this.ds = ds;
    }

    public record Attempt(long runId, Instant at, String itemNumber, String organizationCode, String operation,
                          Integer httpStatus, String failureClass, int attempt, Long delayMs, boolean retryAfterUsed,
                          String lockOwner) {
    }

    public void log(Attempt a) {
        logAll(List.of(a));
    }

    public void logAll(Collection<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO sync_attempt (run_id, at, item_number, organization_code, operation, http_status, failure_class, "
                + "attempt, delay_ms, retry_after_used, lock_owner) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE " + RunFence.HELD;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (Attempt a : attempts) {
                ps.setLong(1, a.runId());
                Jdbc.setInstant(ps, 2, a.at());
                ps.setString(3, Texts.cut(a.itemNumber(), 300));
                ps.setString(4, Texts.cut(a.organizationCode(), 100));
                ps.setString(5, a.operation());
                Jdbc.setInteger(ps, 6, a.httpStatus());
                ps.setString(7, a.failureClass());
                ps.setInt(8, a.attempt());
                if (a.delayMs() == null) {
                    ps.setNull(9, Types.BIGINT);
                } else {
                    ps.setLong(9, a.delayMs());
                }
                ps.setBoolean(10, a.retryAfterUsed());
                ps.setString(11, Texts.cut(a.lockOwner(), 100));
                ps.setLong(12, a.runId());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("logging ERP attempts", e);
        }
    }

    /** The same log, whose recent conflicts are those of the cycles of {@code target}. */
    public SyncAttempts forTarget(String target) {
        return new SyncAttempts(ds, target);
    }

    /**
     * Items (item|organization) that met a lock or stale-ETag conflict in any of the last {@code cycles}
     * cycles, after {@code cooledDownAt} (an operator's cool-down forgets what came before).
     */
    public Set<String> conflictedInLastCycles(int cycles, Instant cooledDownAt) {
        String sql = "SELECT DISTINCT item_number, organization_code FROM sync_attempt WHERE item_number IS NOT NULL "
                + "AND at > ? AND failure_class IN (" + FailureClass.conflictsAsSql() + ") AND run_id IN "
                + "(SELECT id FROM (SELECT id FROM sync_run WHERE trigger_kind NOT IN ('REPLAY', 'BOM') AND status <> 'SKIPPED_OVERLAP' "
                + TargetColumn.and(target) + " ORDER BY id DESC LIMIT ?) recent)";
        Set<String> out = new HashSet<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, cooledDownAt);
            ps.setInt(2, cycles);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(ExceptionQueue.key(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading recent conflicts", e);
        }
        return out;
    }

    /** Every attempt of a run, oldest first (for tests and reports). */
    public List<Attempt> ofRun(long runId) {
        List<Attempt> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM sync_attempt WHERE run_id = ? ORDER BY id")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long delay = rs.getLong("delay_ms");
                    Long d = rs.wasNull() ? null : delay;
                    out.add(new Attempt(rs.getLong("run_id"), Jdbc.getInstant(rs, "at"), rs.getString("item_number"),
                            rs.getString("organization_code"), rs.getString("operation"), Jdbc.getInteger(rs, "http_status"),
                            rs.getString("failure_class"), rs.getInt("attempt"), d, rs.getBoolean("retry_after_used"),
                            rs.getString("lock_owner")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading attempts of run " + runId, e);
        }
        return out;
    }
}
