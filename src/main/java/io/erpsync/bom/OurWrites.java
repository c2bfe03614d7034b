package io.erpsync.bom;

import io.erpsync.store.Jdbc;
import io.erpsync.store.StoreException;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The value our own latest applied change wrote to each component field, for the merge: the value
 * the component has after our own earlier changes is our chain's, not another user's, so a later
 * change of ours requested against an older value is not parked as a conflict with it. In the store
 * (bom_our_write), so that it holds after a restart and on the node that takes over; the values as
 * text, which the merge compares as numbers or text by field (BomMerge.same).
 */
public final class OurWrites {
    private final DataSource ds;

    public OurWrites(DataSource ds) {
        this.ds = ds;
    }

    /** Our change sent these fields and the ERP applied them. */
    void wrote(long billId, long componentId, Map<String, Object> fields, Instant at) {
        // the newer record wins: a process that froze and came back never puts an older value over a newer one
        String update = "UPDATE bom_our_write SET written_value = ?, written_at = ? WHERE bill_sequence_id = ? AND component_sequence_id = ? "
                + "AND field = ? AND written_at <= ?";
        String insert = "INSERT INTO bom_our_write (written_value, written_at, bill_sequence_id, component_sequence_id, field) "
                + "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM bom_our_write WHERE bill_sequence_id = ? AND component_sequence_id = ? "
                + "AND field = ?)";
        try (Connection c = ds.getConnection()) {
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                if (write(c, update, billId, componentId, f, at) == 0 && !inserted(c, insert, billId, componentId, f, at)) {
                    // why: another process (a replay beside the BOM cycle) recorded the field between the two: ours goes over it if newer
                    write(c, update, billId, componentId, f, at);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("recording what our change wrote to component " + componentId + " of bill " + billId, e);
        }
    }

    /** The insert, false when the field's row is there already (found, or put there by another process meanwhile). */
    private static boolean inserted(Connection c, String insert, long billId, long componentId, Map.Entry<String, Object> field, Instant at)
            throws SQLException {
        try {
            return write(c, insert, billId, componentId, field, at) > 0;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";

    private static int write(Connection c, String sql, long billId, long componentId, Map.Entry<String, Object> field, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Object v = field.getValue();
            ps.setString(1, v == null ? null : v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v));
            Jdbc.setInstant(ps, 2, at);
            ps.setLong(3, billId);
            ps.setLong(4, componentId);
            ps.setString(5, field.getKey());
            if (sql.startsWith("UPDATE")) {
                Jdbc.setInstant(ps, 6, at);
            } else {
                ps.setLong(6, billId);
                ps.setLong(7, componentId);
                ps.setString(8, field.getKey());
            }
            return ps.executeUpdate();
        }
    }

    /** The value our latest change wrote to each field of this component that one of ours wrote. */
    Map<String, Object> of(long billId, long componentId) {
        String sql = "SELECT field, written_value FROM bom_our_write WHERE bill_sequence_id = ? AND component_sequence_id = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, billId);
            ps.setLong(2, componentId);
            Map<String, Object> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading what our changes wrote to component " + componentId + " of bill " + billId, e);
        }
    }
}
