package io.erpsync.sandbox;

import io.erpsync.config.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The in-process sandbox ERP at work (dev profile, README: See it work): now and then a scheduled job
 * the gate knows (Cost Update: the cycle waits for it), now and then one it does not (a planner's
 * session holding locks on a few items longer than the lock rounds: those items are parked, and can
 * be replayed once it ends), and once a lock storm (a job the gate does not know locking a large
 * share of the items: the circuit breaker opens and the next cycle is deferred). Another user's edits
 * and the throttling come from the sandbox's knobs ({@code sandbox.edit-after-read-rate},
 * {@code sandbox.throttle-rate}). A job without a plan does not run.
 */
public final class BusyErp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BusyErp.class);
    static final String KNOWN_JOB = "Cost Update";
    static final String UNKNOWN_JOB = "Planner Workbench Session";

    /** One kind of job: first start after {@code first}, again every {@code every} (zero: once), holding locks for {@code lasting}. */
    public record Plan(Duration first, Duration every, Duration lasting, double share) {
        public Plan {
            if (share < 0 || share > 1) {
                throw new IllegalArgumentException("a job's share of locked items is between 0 and 1, was " + share);
            }
        }

        /**
         * A job's plan as a setting: {@code first,every,lasting,share}, e.g. {@code 90s,180s,75s,0.05}: first
         * after 90 s, then every 180 s (0: once), holding locks on 5 % of the items for 75 s. Empty: never.
         */
        public static Plan parse(String key, String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String[] p = text.split(",");
            if (p.length != 4) {
                throw new IllegalStateException("setting " + key + " must be first,every,lasting,share (e.g. 90s,180s,75s,0.05), was '"
                        + text + "'");
            }
            try {
                return new Plan(Durations.parse(key, p[0]), Durations.parse(key, p[1]), Durations.parse(key, p[2]),
                        Double.parseDouble(p[3].trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("setting " + key + ": " + e.getMessage() + " (first,every,lasting,share; was '" + text + "')");
            }
        }
    }

    private final SandboxErp erp;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "busy-erp");
        t.setDaemon(true);
        return t;
    });

    public BusyErp(SandboxErp erp) {
        this.erp = erp;
    }

    /**
     * Schedules the three kinds of job: the gate's (it locks items too, and the cycle waits for it), a
     * job the gate does not know on a few items, and the lock storm.
     */
    public BusyErp start(Plan known, Plan unknown, Plan storm) {
        schedule(known, KNOWN_JOB, "FIN_BATCH");
        schedule(unknown, UNKNOWN_JOB, "FUSION_BATCH");
        schedule(storm, "Mass Item Update", "DATA_STEWARD");
        return this;
    }

    private void schedule(Plan plan, String name, String submitter) {
        if (plan == null) {
            return;
        }
        Runnable run = () -> {
            try {
                ScheduledJob job = erp.startLockingJob(name, submitter, plan.share(), plan.lasting());
                LOG.info("Sandbox ERP: scheduled job '{}' by {} holds locks on {} items for {} s", name, submitter, job.lockedItemIds().size(),
                        plan.lasting().toSeconds());
            } catch (RuntimeException e) {
                LOG.warn("Sandbox ERP: could not start '{}': {}", name, e.getMessage());
            }
        };
        if (plan.every().isZero() || plan.every().isNegative()) {
            timer.schedule(run, plan.first().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            timer.scheduleAtFixedRate(run, plan.first().toMillis(), plan.every().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
