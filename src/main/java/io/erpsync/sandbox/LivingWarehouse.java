package io.erpsync.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sample warehouse at work (dev profile, README: See it work): every {@code every}, {@code rows}
 * random rows of {@code stock_level} get a new {@code updated_at}; most of them a new quantity (stock
 * moved), one in five the same quantity (a count that confirmed it, which the cycle finds unchanged
 * in the ERP). So every cycle has work. Only the sample table is touched, never a real WMS.
 */
public final class LivingWarehouse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LivingWarehouse.class);

    private final DataSource wms;
    private final int rows;
    private final Clock clock;
    private final Random random;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "living-warehouse");
        t.setDaemon(true);
        return t;
    });

    public LivingWarehouse(DataSource wms, int rows, Clock clock, long seed) {
        if (rows < 1) {
            throw new IllegalArgumentException("wms.sample.change-rows must be at least 1, was " + rows);
        }
        this.wms = wms;
        this.rows = rows;
        this.clock = clock;
        this.random = new Random(seed);
    }

    /** Changes rows every {@code every} from now on, until closed. */
    public LivingWarehouse start(Duration every) {
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("wms.sample.change-every must be positive, was " + every);
        }
        timer.scheduleWithFixedDelay(this::tickLogged, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Sample warehouse: {} rows change every {} ms (wms.sample.change-every; wms.sample.enabled=false turns it off)", rows,
                every.toMillis());
        return this;
    }

    private void tickLogged() {
        try {
            tick();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Sample warehouse: could not change rows: {}", e.getMessage());
        }
    }

    /** One round of stock movements; returns how many rows changed. */
    public int tick() throws SQLException {
        try (Connection c = wms.getConnection()) {
            // the database picks the rows (RANDOM() is H2's and PostgreSQL's), so a tick reads only those
            List<Object[]> picked = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT item_number, organization_code, quantity FROM stock_level ORDER BY RANDOM() FETCH FIRST ? ROWS ONLY")) {
                ps.setInt(1, rows);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        picked.add(new Object[] {rs.getString(1), rs.getString(2), rs.getBigDecimal(3)});
                    }
                }
            }
            Timestamp now = Timestamp.from(clock.instant());
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE stock_level SET quantity = ?, updated_at = ? WHERE item_number = ? AND organization_code = ?")) {
                for (Object[] row : picked) {
                    BigDecimal q = row[2] == null ? BigDecimal.ZERO : (BigDecimal) row[2];
                    if (random.nextInt(5) != 0) {
                        q = q.add(BigDecimal.valueOf(random.nextInt(41) - 20)).max(BigDecimal.ZERO);
                    }
                    ps.setBigDecimal(1, q);
                    ps.setTimestamp(2, now);
                    ps.setString(3, (String) row[0]);
                    ps.setString(4, (String) row[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return picked.size();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
