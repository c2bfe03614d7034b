package io.erpsync.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which process runs a cycle (or a BOM run) now, for every process on one store: the service, a
 * {@code --once} or {@code --replay} from the command line, replicas. One row per kind of run in
 * sync_lease. The holder names its host, process id, process start and a random id; it keeps the
 * lease by a heartbeat every third of {@code ttl}. A lease is free, or taken over, when its holder
 * released it, when its process is gone (same host: the process id no longer runs that process), or
 * when its heartbeat is older than {@code ttl} (another host); the run it left RUNNING is then
 * recorded as FAILED, and its rows are read again.
 */
public final class RunLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);
    public static final String STOCK = "STOCK";
    public static final String BOM = "BOM";
    /** Marks a holder that is a clustered scheduler node (its Quartz instance id is its holder name). */
    static final String CLUSTER_NODE = "!node";
    /** Quartz's ClusterManager takes a node to have failed this long after its check-in interval. */
    static final long QUARTZ_GRACE_MS = 7500;
    static final String TAKEN_OVER = "the process stopped during this run (found RUNNING at the next start); its rows are read again";

    /** Who holds a lease: its description, its run, and when it last showed it was alive. */
    public record Holder(String holder, Long runId, Instant heartbeatAt) {
        public String describe() {
            return "run " + (runId == null ? "?" : runId) + " of " + holder;
        }
    }

    private final DataSource ds;
    private final Duration ttl;
    private final Clock clock;
    private final String me;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "run-lease-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param clusterNode whether this process is a node of a clustered Quartz scheduler whose instance
     *                    id is {@link #me()}: its liveness is then Quartz's own (its check-ins), which
     *                    is also when Quartz gives its interrupted fire to another node
     */
    public RunLease(DataSource ds, Duration ttl, Clock clock, boolean clusterNode) {
        if (ttl.toMillis() < 3000) {
            throw new IllegalArgumentException("sync.lease.ttl must be at least 3s, was " + ttl);
        }
        this.ds = ds;
        this.ttl = ttl;
        this.clock = clock;
        ProcessHandle self = ProcessHandle.current();
        this.me = self.pid() + "@" + host() + "@" + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "#"
                + UUID.randomUUID().toString().substring(0, 8) + (clusterNode ? CLUSTER_NODE : "");
        long beat = ttl.toMillis() / 3;
        heartbeat.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
    }

    /** This process's holder name. */
    public String me() {
        return me;
    }

    /**
     * Takes the lease for a run of this kind, taking it over from a dead holder (whose RUNNING run is
     * recorded as FAILED); the holder that has it otherwise.
     */
    public Optional<Holder> acquire(String name) {
        Optional<Holder> other = inTransaction("taking the " + name + " run lease", c -> {
            Instant now = clock.instant();
            Holder current = read(c, name, true);
            if (current.holder() != null && alive(c, current, now)) {
                return Optional.of(current);
            }
            if (current.holder() != null) {
                abandon(c, current, name, now);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sync_lease SET holder = ?, run_id = NULL, heartbeat_at = ?, version = version + 1 WHERE name = ?")) {
                ps.setString(1, me);
                Jdbc.setInstant(ps, 2, now);
                ps.setString(3, name);
                ps.executeUpdate();
            }
            return Optional.<Holder>empty();
        });
        if (other.isEmpty()) {
            held.add(name);
        }
        return other;
    }

    /** Work on one connection in one transaction: committed when it returns, rolled back when it throws. */
    private interface InTransaction<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String what, InTransaction<T> work) {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    /**
     * Waits until no live holder has the lease (another process's run ended, or its holder died), at
     * most {@code max}, asking the store every half second; whether it is free.
     */
    public boolean awaitFree(String name, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            try (Connection c = ds.getConnection()) {
                Holder h = read(c, name, false);
                if (h.holder() == null || !alive(c, h, clock.instant())) {
                    return true;
                }
            } catch (SQLException e) {
                throw new StoreException("reading the " + name + " run lease", e);
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Who holds the lease now, if anyone (alive or not). */
    public Optional<Holder> holder(String name) {
        try (Connection c = ds.getConnection()) {
            Holder h = read(c, name, false);
            return h.holder() == null ? Optional.empty() : Optional.of(h);
        } catch (SQLException e) {
            throw new StoreException("reading the " + name + " run lease", e);
        }
    }

    /** Names the run the lease is held for, so that a taker-over can close it. */
    public void attach(String name, long runId) {
        update("UPDATE sync_lease SET run_id = ? WHERE name = ? AND holder = ?", name, runId);
    }

    /** Gives the lease back (the run ended). */
    public void release(String name) {
        held.remove(name);
        update("UPDATE sync_lease SET holder = NULL, run_id = NULL, heartbeat_at = NULL, version = version + 1 WHERE name = ? AND holder = ?",
                name, null);
    }

    /**
     * At start: every lease whose holder died is freed and its RUNNING run recorded as FAILED; returns
     * how many runs were closed so.
     */
    public int reclaimDead() {
        int closed = 0;
        for (String name : new String[] {STOCK, BOM}) {
            closed += inTransaction("freeing the " + name + " run lease of a stopped process", c -> {
                Instant now = clock.instant();
                Holder current = read(c, name, true);
                if (current.holder() == null || alive(c, current, now)) {
                    return 0;
                }
                int n = abandon(c, current, name, now);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE sync_lease SET holder = NULL, run_id = NULL, heartbeat_at = NULL, version = version + 1 WHERE name = ?")) {
                    ps.setString(1, name);
                    ps.executeUpdate();
                }
                return n;
            });
        }
        return closed;
    }

    private int abandon(Connection c, Holder dead, String name, Instant now) throws SQLException {
        LOG.warn("The {} run lease of {} is taken over: its holder stopped (no heartbeat since {})", name, dead.describe(), dead.heartbeatAt());
        if (dead.runId() == null) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET status = 'FAILED', finished_at = ?, message = ? "
                + "WHERE id = ? AND status = 'RUNNING'")) {
            Jdbc.setInstant(ps, 1, now);
            ps.setString(2, TAKEN_OVER);
            ps.setLong(3, dead.runId());
            return ps.executeUpdate();
        }
    }

    private static Holder read(Connection c, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT holder, run_id, heartbeat_at FROM sync_lease WHERE name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("sync_lease has no row " + name + " (migration V4)");
                }
                long run = rs.getLong("run_id");
                return new Holder(rs.getString("holder"), rs.wasNull() ? null : run, Jdbc.getInstant(rs, "heartbeat_at"));
            }
        }
    }

    /**
     * Alive: on this host, a process that still runs; a clustered scheduler node, as long as Quartz
     * counts it alive (it checked in within its interval and Quartz's grace; Quartz removes a failed
     * node's row once it gave its fires to another); otherwise a heartbeat within the ttl.
     */
    boolean alive(Connection c, Holder h, Instant now) throws SQLException {
        String[] parts = h.holder().split("[@#]");
        if (parts.length >= 3 && parts[1].equals(host())) {
            try {
                long pid = Long.parseLong(parts[0]);
                long started = Long.parseLong(parts[2]);
                Optional<ProcessHandle> p = ProcessHandle.of(pid);
                if (p.isEmpty() || !p.get().isAlive()
                        || p.get().info().startInstant().map(Instant::toEpochMilli).orElse(started) != started) {
                    return false;
                }
            } catch (NumberFormatException e) {
                // not a holder name this class wrote: judged by its heartbeat
            }
        }
        if (h.holder().endsWith(CLUSTER_NODE)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT last_checkin_time, checkin_interval FROM qrtz_scheduler_state WHERE instance_name = ?")) {
                ps.setString(1, h.holder());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) + rs.getLong(2) + QUARTZ_GRACE_MS >= now.toEpochMilli();
                }
            }
        }
        return h.heartbeatAt() != null && h.heartbeatAt().plus(ttl).isAfter(now);
    }

    private void beat() {
        for (String name : held) {
            try {
                update("UPDATE sync_lease SET heartbeat_at = ? WHERE name = ? AND holder = ?", name, clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("The {} run lease's heartbeat could not be written: {}", name, e.getMessage());
            }
        }
    }

    private void update(String sql, String name, Object first) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (first instanceof Instant t) {
                Jdbc.setInstant(ps, i++, t);
            } else if (first instanceof Long l) {
                ps.setLong(i++, l);
            }
            ps.setString(i++, name);
            ps.setString(i, me);
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new StoreException("writing the " + name + " run lease", e);
        }
    }

    private static String host() {
        return HOST;
    }

    private static final String HOST = findHost();

    private static String findHost() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        for (String name : Set.copyOf(held)) {
            try {
                release(name);
            } catch (RuntimeException e) {
                LOG.warn("The {} run lease could not be given back at stop: {}", name, e.getMessage());
            }
        }
    }
}
