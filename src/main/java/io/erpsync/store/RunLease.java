package io.erpsync.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 *
 * <p>Fencing: every take of the lease gives it a new epoch, and the run started under it records that
 * epoch (sync_run.epoch). Before each ERP request the run {@link #check}s that it still holds its
 * epoch, and every store write for the run checks the same in its own statement ({@link RunFence}), so
 * a holder that froze past the ttl (a GC pause, a stalled VM, a partition from the store) and resumes
 * after a take-over sends nothing more and writes nothing over the new holder's records.
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
    public record Holder(String holder, Long runId, Instant heartbeatAt, long epoch) {
        public String describe() {
            return "run " + (runId == null ? "?" : runId) + " of " + holder;
        }
    }

    private final DataSource ds;
    private final Duration ttl;
    private final Clock clock;
    private final String me;
    /** The leases this process holds now, by name: the epoch taken and until when it is known to be ours. */
    private final Map<String, Tenure> held = new ConcurrentHashMap<>();
    /**
     * How long a lease is ours after a heartbeat (or a renewal) that the store confirmed, counted from
     * before that write went out, on this process's monotonic clock (which runs on while the process is
     * stopped): half of what another process waits before it judges this one dead (the ttl, or for a
     * cluster node Quartz's grace), so the other half covers clock skew between hosts and the write's
     * own time. Within it an ERP request needs no store read; past it (the process froze, the store did
     * not answer) the next request first renews the lease in the store, and finds it lost if it was
     * taken over.
     */
    private final long validNanos;
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
        long judgedDeadAfter = clusterNode ? Math.min(ttl.toMillis(), QUARTZ_GRACE_MS) : ttl.toMillis();
        this.validNanos = TimeUnit.MILLISECONDS.toNanos(judgedDeadAfter / 2);
        long beat = Math.min(ttl.toMillis() / 3, judgedDeadAfter / 4);
        heartbeat.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
    }

    /** This process's holder name. */
    public String me() {
        return me;
    }

    /**
     * Takes the lease for a run of this kind under a new epoch, taking it over from a dead holder (whose
     * RUNNING run is recorded as FAILED); the holder that has it otherwise. Once the lease is taken no
     * other run of this kind can be going on, so every run of the kind still recorded RUNNING (its end
     * could not be recorded: the store was away, its process stopped) is recorded FAILED with the reason.
     */
    public Optional<Holder> acquire(String name) {
        long asked = System.nanoTime();
        long[] epoch = new long[1];
        Instant[] at = new Instant[1];
        Optional<Holder> other = inTransaction("taking the " + name + " run lease", c -> {
            Instant now = clock.instant();
            at[0] = now;
            Holder current = read(c, name, true);
            // our own name there means a run of ours whose end (and lease's release) the store did not take
            if (current.holder() != null && !current.holder().equals(me) && alive(c, current, now)) {
                return Optional.of(current);
            }
            if (current.holder() != null) {
                abandon(c, current, name, now);
            }
            closeUnrecorded(c, name, now);
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_lease SET holder = ?, run_id = NULL, heartbeat_at = ?, "
                    + "epoch = epoch + 1, version = version + 1 WHERE name = ?")) {
                ps.setString(1, me);
                Jdbc.setInstant(ps, 2, now);
                ps.setString(3, name);
                ps.executeUpdate();
            }
            epoch[0] = read(c, name, false).epoch();
            return Optional.<Holder>empty();
        });
        if (other.isEmpty()) {
            held.put(name, new Tenure(epoch[0], at[0], asked + validNanos));
        }
        return other;
    }

    /** Whether this process holds the lease and has not found it taken over. */
    public boolean holds(String name) {
        Tenure t = held.get(name);
        return t != null && !t.lost;
    }

    /** When this process took the lease it holds (a run taken over ends then; the new one starts no earlier). */
    public Optional<Instant> takenAt(String name) {
        Tenure t = held.get(name);
        return t == null ? Optional.empty() : Optional.of(t.takenAt);
    }

    /** The epoch of the lease this process holds, or -1 when it holds none. */
    public long epoch(String name) {
        Tenure t = held.get(name);
        return t == null ? -1 : t.epoch;
    }

    /**
     * Before an ERP request of a run: throws {@link LeaseLost} when the run's lease is no longer this
     * process's at the run's epoch (taken over while this process froze). Cheap: a field read while the
     * last confirmed heartbeat is recent, one indexed write (the renewal) after that.
     */
    public void check(String name, long epoch) {
        Tenure t = held.get(name);
        if (t == null || t.epoch != epoch || t.lost) {
            throw lost(name, epoch, t);
        }
        if (System.nanoTime() - t.validUntil < 0) {
            return;
        }
        synchronized (t) {
            if (t.lost) {
                throw lost(name, epoch, t);
            }
            if (System.nanoTime() - t.validUntil >= 0 && !renew(name, t)) {
                throw lost(name, epoch, t);
            }
        }
    }

    /** Writes the heartbeat if the lease is still ours at its epoch; false (and the tenure marked lost) when it is not. */
    private boolean renew(String name, Tenure t) {
        long asked = System.nanoTime();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE sync_lease SET heartbeat_at = ? WHERE name = ? AND holder = ? AND epoch = ?")) {
            Jdbc.setInstant(ps, 1, clock.instant());
            ps.setString(2, name);
            ps.setString(3, me);
            ps.setLong(4, t.epoch);
            boolean ours = ps.executeUpdate() == 1;
            if (!c.getAutoCommit()) {
                c.commit();
            }
            if (ours) {
                t.validUntil = asked + validNanos;
            } else {
                t.lost = true;
            }
            return ours;
        } catch (SQLException e) {
            throw new StoreException("renewing the " + name + " run lease", e);
        }
    }

    /** The loss, with the lease's new holder read once (and warned of once) per tenure. */
    private LeaseLost lost(String name, long epoch, Tenure t) {
        if (t == null) {
            return new LeaseLost("the " + name + " run lease (epoch " + epoch + ") is not this process's");
        }
        synchronized (t) {
            if (t.lostTo == null) {
                String now;
                try {
                    Holder h = current(name);
                    now = (h.holder() == null ? "nobody now (its run ended)" : h.describe()) + ", at epoch " + h.epoch();
                } catch (RuntimeException e) {
                    now = "unknown (" + e.getMessage() + ")";
                }
                t.lostTo = "the " + name + " run lease (epoch " + epoch + ") was taken over; it is held by " + now;
                LOG.warn("The {} run lease (epoch {}) is no longer this process's: it is held by {}. Its run sends nothing more to the "
                        + "ERP and writes nothing more to the store; the run that took over repairs what it may have sent", name, epoch, now);
            }
            return new LeaseLost(t.lostTo);
        }
    }

    /** A lease this process holds: its epoch, until when it is known to be ours (System.nanoTime), whether it was found lost. */
    private static final class Tenure {
        final long epoch;
        final Instant takenAt;
        volatile long validUntil;
        volatile boolean lost;
        /** Why it was lost, once found (the WARN says it once). */
        volatile String lostTo;

        Tenure(long epoch, Instant takenAt, long validUntil) {
            this.epoch = epoch;
            this.takenAt = takenAt;
            this.validUntil = validUntil;
        }
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

    private Holder current(String name) {
        try (Connection c = ds.getConnection()) {
            return read(c, name, false);
        } catch (SQLException e) {
            throw new StoreException("reading the " + name + " run lease", e);
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
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE sync_run SET lease_name = ?, epoch = ? WHERE id = ?")) {
            ps.setString(1, name);
            ps.setLong(2, epoch(name));
            ps.setLong(3, runId);
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new StoreException("recording the lease epoch of run " + runId, e);
        }
    }

    /** Gives the lease back (the run ended). */
    public void release(String name) {
        Tenure t = held.remove(name);
        try {
            update("UPDATE sync_lease SET holder = NULL, run_id = NULL, heartbeat_at = NULL, version = version + 1 WHERE name = ? AND holder = ?",
                    name, null);
        } catch (RuntimeException e) {
            if (t != null) {
                unreleased.put(name, t);
            }
            throw e;
        }
    }

    /**
     * Leases whose release the store did not take (it was away when the run ended): the heartbeat frees
     * them once the store answers, and records their run FAILED if its end was not recorded either, so
     * that no run shows as RUNNING for longer than the outage.
     */
    private final Map<String, Tenure> unreleased = new ConcurrentHashMap<>();

    private void freeUnreleased(String name, Tenure t) {
        inTransaction("freeing the " + name + " run lease after the store came back", c -> {
            Holder current = read(c, name, true);
            if (me.equals(current.holder()) && current.epoch() == t.epoch && !held.containsKey(name)) {
                abandon(c, current, name, clock.instant());
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE sync_lease SET holder = NULL, run_id = NULL, heartbeat_at = NULL, version = version + 1 WHERE name = ?")) {
                    ps.setString(1, name);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        unreleased.remove(name, t);
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
                int n = abandon(c, current, name, now) + closeUnrecorded(c, name, now);
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

    static final String UNRECORDED = "its end was never recorded (the store did not answer, or its process stopped); "
            + "found RUNNING when the lease was next taken";

    /** Every run of this kind still RUNNING when its lease is taken: none can be going on, so it is recorded FAILED. */
    private static int closeUnrecorded(Connection c, String name, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET status = 'FAILED', finished_at = ?, message = ? "
                + "WHERE status = 'RUNNING' AND trigger_kind " + (BOM.equals(name) ? "=" : "<>") + " 'BOM'")) {
            Jdbc.setInstant(ps, 1, now);
            ps.setString(2, UNRECORDED);
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.warn("{} {} run(s) left RUNNING are recorded FAILED: {}", n, name, UNRECORDED);
            }
            return n;
        }
    }

    private int abandon(Connection c, Holder dead, String name, Instant now) throws SQLException {
        if (dead.holder().equals(me)) {
            LOG.warn("The {} run lease of {} is taken again: the end of that run of this process could not be recorded", name,
                    dead.describe());
        } else {
            LOG.warn("The {} run lease of {} is taken over: its holder stopped (no heartbeat since {})", name, dead.describe(), dead.heartbeatAt());
        }
        if (dead.runId() == null) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET status = 'FAILED', finished_at = ?, message = ? "
                + "WHERE id = ? AND status = 'RUNNING'")) {
            Jdbc.setInstant(ps, 1, now);
            ps.setString(2, dead.holder().equals(me) ? UNRECORDED : TAKEN_OVER);
            ps.setLong(3, dead.runId());
            return ps.executeUpdate();
        }
    }

    private static Holder read(Connection c, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT holder, run_id, heartbeat_at, epoch FROM sync_lease WHERE name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("sync_lease has no row " + name + " (migration V4)");
                }
                long run = rs.getLong("run_id");
                Long runId = rs.wasNull() ? null : run;
                return new Holder(rs.getString("holder"), runId, Jdbc.getInstant(rs, "heartbeat_at"), rs.getLong("epoch"));
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
        for (Map.Entry<String, Tenure> e0 : unreleased.entrySet()) {
            try {
                freeUnreleased(e0.getKey(), e0.getValue());
            } catch (RuntimeException e) {
                LOG.debug("The {} run lease is still to be freed: {}", e0.getKey(), e.getMessage());
            }
        }
        for (Map.Entry<String, Tenure> e0 : held.entrySet()) {
            String name = e0.getKey();
            Tenure t = e0.getValue();
            try {
                synchronized (t) {
                    if (!t.lost && !renew(name, t)) {
                        lost(name, t.epoch, t);
                    }
                }
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
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        for (String name : Set.copyOf(held.keySet())) {
            try {
                release(name);
            } catch (RuntimeException e) {
                LOG.warn("The {} run lease could not be given back at stop: {}", name, e.getMessage());
            }
        }
    }
}
