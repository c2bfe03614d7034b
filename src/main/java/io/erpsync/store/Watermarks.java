package io.erpsync.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** How far the WMS has been read, by name; moved only forward, only after a cycle finished its rows. */
public final class Watermarks {
    private final DataSource ds;

    public Watermarks(DataSource ds) {
        this.ds = ds;
    }

    public Optional<Instant> get(String name) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT mark FROM sync_watermark WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Jdbc.getInstant(rs, "mark")) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("reading watermark " + name, e);
        }
    }

    /**
     * Commits {@code mark} unless the stored one is already later (a replayed or older cycle never moves
     * it back), or run {@code runId} lost its lease.
     */
    public void commit(String name, Instant mark, long runId) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE sync_watermark SET mark = ?, run_id = ?, updated_at = ? WHERE name = ? AND mark < ? AND " + RunFence.HELD)) {
                Jdbc.setInstant(up, 1, mark);
                up.setLong(2, runId);
                Jdbc.setInstant(up, 3, Instant.now());
                up.setString(4, name);
                Jdbc.setInstant(up, 5, mark);
                up.setLong(6, runId);
                if (up.executeUpdate() == 0) {
                    try (PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO sync_watermark (name, mark, run_id, updated_at) "
                                    + "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM sync_watermark WHERE name = ?) AND " + RunFence.HELD)) {
                        ins.setString(1, name);
                        Jdbc.setInstant(ins, 2, mark);
                        ins.setLong(3, runId);
                        Jdbc.setInstant(ins, 4, Instant.now());
                        ins.setString(5, name);
                        ins.setLong(6, runId);
                        ins.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("committing watermark " + name, e);
        }
    }
}
