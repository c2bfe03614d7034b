package io.erpsync.bom;

import io.erpsync.store.Jdbc;
import io.erpsync.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bills held for a change order (bom_bill_hold): a bill whose changes met too many true conflicts
 * takes no more changes until a person releases it. A hold is set once (the primary key) and
 * released with its version, so two nodes or two operators never both act on it.
 */
public final class BomHolds {
    private final DataSource ds;

    public BomHolds(DataSource ds) {
        this.ds = ds;
    }

    public record Hold(long billId, String reason, Instant heldAt) {
    }

    /** The hold of this bill, if it is held now. */
    public Optional<Hold> of(long billId) {
        String sql = "SELECT reason, held_at FROM bom_bill_hold WHERE bill_sequence_id = ? AND released_at IS NULL";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, billId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Hold(billId, rs.getString(1), Jdbc.getInstant(rs, "held_at")))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("reading the hold of bill " + billId, e);
        }
    }

    /** Holds the bill (again, if it was released); false when it is held already. */
    public boolean hold(long billId, String reason, Instant at) {
        String update = "UPDATE bom_bill_hold SET reason = ?, held_at = ?, released_at = NULL, released_by = NULL, version = version + 1 "
                + "WHERE bill_sequence_id = ? AND released_at IS NOT NULL";
        String insert = "INSERT INTO bom_bill_hold (bill_sequence_id, reason, held_at) VALUES (?, ?, ?)";
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(update)) {
                ps.setString(1, reason);
                Jdbc.setInstant(ps, 2, at);
                ps.setLong(3, billId);
                if (ps.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setLong(1, billId);
                ps.setString(2, reason);
                Jdbc.setInstant(ps, 3, at);
                ps.executeUpdate();
                return true;
            } catch (SQLException held) {
                return false; // the row exists and is not released: held already
            }
        } catch (SQLException e) {
            throw new StoreException("holding bill " + billId, e);
        }
    }

    /** Releases the bill; false when it was not held. */
    public boolean release(long billId, String by, Instant at) {
        String sql = "UPDATE bom_bill_hold SET released_at = ?, released_by = ?, version = version + 1 "
                + "WHERE bill_sequence_id = ? AND released_at IS NULL";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, at);
            ps.setString(2, by);
            ps.setLong(3, billId);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("releasing bill " + billId, e);
        }
    }

    /** The bills held now. */
    public List<Hold> held() {
        List<Hold> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT bill_sequence_id, reason, held_at FROM bom_bill_hold WHERE released_at IS NULL ORDER BY bill_sequence_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Hold(rs.getLong(1), rs.getString(2), Jdbc.getInstant(rs, "held_at")));
            }
        } catch (SQLException e) {
            throw new StoreException("reading the held bills", e);
        }
        return out;
    }
}
