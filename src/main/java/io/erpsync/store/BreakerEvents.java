package io.erpsync.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** sync_breaker_event: every state change of the ERP circuit breaker. */
public final class BreakerEvents {
    private final DataSource ds;

    public BreakerEvents(DataSource ds) {
        this.ds = ds;
    }

    public void record(Instant at, String from, String to, float failureRate) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sync_breaker_event (at, from_state, to_state, failure_rate) VALUES (?, ?, ?, ?)")) {
            Jdbc.setInstant(ps, 1, at);
            ps.setString(2, from);
            ps.setString(3, to);
            ps.setDouble(4, failureRate);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording a breaker state change", e);
        }
    }

    /** "FROM->TO" transitions, oldest first. */
    public List<String> transitions() {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT from_state, to_state FROM sync_breaker_event ORDER BY id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "->" + rs.getString(2));
            }
        } catch (SQLException e) {
            throw new StoreException("reading breaker state changes", e);
        }
        return out;
    }
}
