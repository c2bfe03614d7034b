package io.erpsync.gate;

import io.erpsync.core.Keys;
import io.erpsync.core.Run;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.fusion.ErpJson;
import io.erpsync.target.fusion.RestQuery;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The job-dependency gate of routes/job-gate.camel.yaml: before a cycle reads and writes, it asks
 * the ERP's scheduled-process service (contract section 5) whether a job that locks items is active,
 * and waits for it, so the sync runs right after those jobs instead of against them. The gate is asked
 * beside the cycle's WMS read (routes/sync-cycle.camel.yaml): nothing is sent to the ERP for the
 * cycle's items, read or write, before its verdict ({@link Check#awaitVerdict}).
 */
public final class JobGate {
    /** Active states (contract 5): the job may hold item locks. */
    static final Set<String> ACTIVE = new TreeSet<>(Set.of("WAIT", "READY", "RUNNING", "BLOCKED", "HOLD", "PAUSED", "CANCELLING"));
    private static final Logger LOG = LoggerFactory.getLogger(JobGate.class);

    private enum Decision { CHECKING, WAIT, PROCEED, SKIP }

    /** One cycle's passage through the gate; also what JMX shows while a cycle waits. */
    public static final class Check {
        private final long runId;
        private final Instant since;
        private volatile Decision decision = Decision.CHECKING;
        private volatile Set<String> waitingFor = Set.of();
        private volatile String reason;
        private final CountDownLatch verdict = new CountDownLatch(1);

        Check(long runId, Instant since) {
            this.runId = runId;
            this.since = since;
        }

        public Instant since() {
            return since;
        }

        public Set<String> waitingFor() {
            return waitingFor;
        }

        /** Why the cycle was skipped, when it was. */
        public String reason() {
            return reason;
        }

        /** Whether the gate let the cycle through (false while it is still checking or waiting). */
        public boolean passed() {
            return decision == Decision.PROCEED;
        }

        /** Whether the gate decided to skip the cycle. */
        public boolean skipping() {
            return decision == Decision.SKIP;
        }

        /** Waits at most {@code millis} for the verdict (proceed or skip); whether there is one. */
        public boolean awaitVerdict(long millis) throws InterruptedException {
            return verdict.await(millis, TimeUnit.MILLISECONDS);
        }

        /** The cycle ended before the verdict (it failed, erp-sync is stopping): the gate stops asking. */
        public synchronized void abandon(String why) {
            if (verdict.getCount() > 0) {
                reason = why;
                decide(Decision.SKIP);
            }
        }

        /** The first verdict stands: an answer that comes back after the cycle abandoned the gate changes nothing. */
        private synchronized void decide(Decision d) {
            if (verdict.getCount() == 0) {
                return;
            }
            decision = d;
            if (d == Decision.PROCEED || d == Decision.SKIP) {
                verdict.countDown();
            }
        }
    }

    private final List<String> watchedJobs;
    private final Duration pollInterval;
    private final Duration maxWait;
    private final boolean skipOnTimeout;
    private final boolean skipOnError;
    private final Clock clock;
    private volatile Check current;

    public JobGate(List<String> watchedJobs, Duration pollInterval, Duration maxWait, String onTimeout, String onError, Clock clock) {
        this.watchedJobs = List.copyOf(watchedJobs);
        this.pollInterval = pollInterval;
        this.maxWait = maxWait;
        this.skipOnTimeout = choice("sync.gate.on-timeout", onTimeout);
        this.skipOnError = choice("sync.gate.on-error", onError);
        this.clock = clock;
    }

    private static boolean choice(String key, String value) {
        return switch (value.trim().toLowerCase()) {
            case "skip" -> true;
            case "proceed" -> false;
            default -> throw new IllegalStateException(key + " must be skip or proceed, was '" + value + "'");
        };
    }

    /** The cycle arrives at the gate; with no jobs configured it is open at once. */
    public Check open(@ExchangeProperty(Keys.CYCLE) Run run) {
        Check c = new Check(run.runId(), clock.instant());
        // the jobs watched are the ERP's scheduled processes: a cycle to another target passes
        if (watchedJobs.isEmpty() || !Run.DEFAULT_TARGET.equals(run.target())) {
            c.decide(Decision.PROCEED);
        } else {
            current = c;
        }
        return c;
    }

    public boolean undecided(@ExchangeProperty(Keys.GATE) Check c) {
        return c.decision == Decision.CHECKING || c.decision == Decision.WAIT;
    }

    public boolean waiting(@ExchangeProperty(Keys.GATE) Check c) {
        return c.decision == Decision.WAIT;
    }

    public long pollMillis() {
        return pollInterval.toMillis();
    }

    /** The ESS request for the watched jobs in an active state. */
    public TargetRequest request() {
        return RestQuery.scheduledProcesses(watchedJobs, ACTIVE);
    }

    public void decide(@ExchangeProperty(Keys.GATE) Check c, @Body TargetAnswer answer) {
        Set<String> active = new TreeSet<>();
        for (ErpJson.Job job : ErpJson.jobs(answer)) {
            if (watchedJobs.contains(job.name()) && ACTIVE.contains(job.state())) {
                active.add(job.name());
            }
        }
        Duration waited = Duration.between(c.since, clock.instant());
        if (active.isEmpty()) {
            if (c.decision == Decision.WAIT) {
                LOG.info("Cycle {}: the locking jobs have finished after {} s; the cycle starts now", c.runId, waited.toSeconds());
            }
            c.waitingFor = Set.of();
            c.decide(Decision.PROCEED);
        } else if (waited.compareTo(maxWait) >= 0) {
            c.waitingFor = active;
            c.reason = "scheduled jobs still active after " + maxWait + ": " + active;
            c.decide(skipOnTimeout ? Decision.SKIP : Decision.PROCEED);
            LOG.warn("Cycle {}: {} still active after waiting {} (sync.gate.max-wait); sync.gate.on-timeout={}", c.runId, active,
                    maxWait, skipOnTimeout ? "skip: the cycle is skipped, its rows wait for the next one" : "proceed: syncing anyway");
        } else {
            if (c.decision != Decision.WAIT) {
                LOG.info("Cycle {}: waiting for {} to finish before writing (polling every {})", c.runId, active, pollInterval);
            }
            c.waitingFor = active;
            c.decide(Decision.WAIT);
        }
        if (c.decision != Decision.WAIT) {
            current = null;
        }
    }

    /** The scheduled-process service could not be asked: a logged decision per sync.gate.on-error, never a hang. */
    public void unreachable(@ExchangeProperty(Keys.GATE) Check c, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable t) {
        String why = t == null ? "?" : t.getMessage();
        c.reason = "scheduled-process service unreachable: " + why;
        c.decide(skipOnError ? Decision.SKIP : Decision.PROCEED);
        current = null;
        LOG.warn("Cycle {}: the ERP's scheduled-process service could not be asked ({}); sync.gate.on-error={}", c.runId, why,
                skipOnError ? "skip" : "proceed");
    }

    /** The gate a cycle is waiting at now, or null. */
    public Check current() {
        Check c = current;
        return c == null || c.verdict.getCount() == 0 ? null : c;
    }
}
