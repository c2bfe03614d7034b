package io.erpsync.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.erp.ErpAnswer;
import io.erpsync.erp.ErpRequest;
import io.erpsync.erp.UnreadableAnswer;
import io.erpsync.sync.Cycle;
import io.erpsync.sync.CycleSummary;
import io.erpsync.sync.Cycles;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The job-dependency gate of routes/job-gate.camel.yaml: before a cycle reads and writes, it asks
 * the ERP's scheduled-process service (contract section 5) whether a job that locks items is active,
 * and waits for it, so the sync runs right after those jobs instead of against them.
 */
public final class JobGate {
    /** Active states (contract 5): the job may hold item locks. */
    static final Set<String> ACTIVE = Set.of("WAIT", "READY", "RUNNING", "BLOCKED", "HOLD", "PAUSED", "CANCELLING");
    static final String CHECK = "erpSyncGate";
    private static final Logger LOG = LoggerFactory.getLogger(JobGate.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Decision { CHECKING, WAIT, PROCEED, SKIP }

    /** One gate passage of one cycle; also what JMX shows while a cycle waits. */
    public static final class Check {
        final Instant since;
        volatile Decision decision = Decision.CHECKING;
        volatile Set<String> waitingFor = Set.of();

        Check(Instant since) {
            this.since = since;
        }

        public Instant since() {
            return since;
        }

        public Decision decision() {
            return decision;
        }

        public Set<String> waitingFor() {
            return waitingFor;
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

    public void open(Exchange ex) {
        Check c = new Check(clock.instant());
        ex.setProperty(CHECK, c);
        current = watchedJobs.isEmpty() ? null : c;
        if (watchedJobs.isEmpty()) {
            c.decision = Decision.PROCEED;
        }
    }

    public boolean undecided(Exchange ex) {
        Decision d = check(ex).decision;
        return d == Decision.CHECKING || d == Decision.WAIT;
    }

    public boolean waiting(Exchange ex) {
        return check(ex).decision == Decision.WAIT;
    }

    public boolean skipped(Exchange ex) {
        return check(ex).decision == Decision.SKIP;
    }

    public long pollMillis() {
        return pollInterval.toMillis();
    }

    /** The ESS request; the server may ignore q, so the answer is filtered here too. */
    public ErpRequest request() {
        String names = watchedJobs.stream().map(n -> "'" + n.replace("'", "''") + "'").collect(Collectors.joining(","));
        String q = "jobDefinitionName in (" + names + ") and state in ("
                + ACTIVE.stream().sorted().map(s -> "'" + s + "'").collect(Collectors.joining(",")) + ")";
        return ErpRequest.get(ErpRequest.ESS_REQUESTS, "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8).replace("+", "%20")
                + "&limit=500");
    }

    public void decide(Exchange ex) throws InvalidPayloadException {
        Check c = check(ex);
        Set<String> active = activeWatched(ex.getMessage().getMandatoryBody(ErpAnswer.class));
        Cycle cycle = ex.getProperty(Cycles.CYCLE, Cycle.class);
        Duration waited = Duration.between(c.since, clock.instant());
        if (active.isEmpty()) {
            if (c.decision == Decision.WAIT) {
                LOG.info("Cycle {}: the locking jobs have finished after {} s; the cycle starts now", cycle.runId(), waited.toSeconds());
            }
            c.decision = Decision.PROCEED;
            c.waitingFor = Set.of();
        } else if (waited.compareTo(maxWait) >= 0) {
            c.waitingFor = active;
            c.decision = skipOnTimeout ? Decision.SKIP : Decision.PROCEED;
            LOG.warn("Cycle {}: {} still active after waiting {} (sync.gate.max-wait); sync.gate.on-timeout={}", cycle.runId(), active,
                    maxWait, skipOnTimeout ? "skip: the cycle is skipped, its rows wait for the next one" : "proceed: syncing anyway");
            if (skipOnTimeout) {
                cycle.skip(CycleSummary.SKIPPED_JOB_RUNNING, "scheduled jobs still active after " + maxWait + ": " + active);
            }
        } else {
            if (c.decision != Decision.WAIT) {
                LOG.info("Cycle {}: waiting for {} to finish before writing (polling every {})", cycle.runId(), active, pollInterval);
            }
            c.decision = Decision.WAIT;
            c.waitingFor = active;
        }
        if (c.decision != Decision.WAIT) {
            current = null;
        }
    }

    /** The scheduled-process service could not be asked: a logged decision per sync.gate.on-error, never a hang. */
    public void unreachable(Exchange ex) {
        Check c = check(ex);
        Throwable t = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Cycle cycle = ex.getProperty(Cycles.CYCLE, Cycle.class);
        c.decision = skipOnError ? Decision.SKIP : Decision.PROCEED;
        current = null;
        LOG.warn("Cycle {}: the ERP's scheduled-process service could not be asked ({}); sync.gate.on-error={}", cycle.runId(),
                t == null ? "?" : t.getMessage(), skipOnError ? "skip" : "proceed");
        if (skipOnError) {
            cycle.skip(CycleSummary.SKIPPED_JOB_RUNNING, "scheduled-process service unreachable: " + (t == null ? "?" : t.getMessage()));
        }
    }

    /** The gate a cycle is waiting at now, or null. */
    public Check current() {
        return current;
    }

    Set<String> activeWatched(ErpAnswer answer) {
        try {
            JsonNode items = JSON.readTree(answer.body()).path("items");
            if (!items.isArray()) {
                throw new UnreadableAnswer("the scheduled-process answer has no items array", answer.status(), answer.body());
            }
            Set<String> active = new TreeSet<>();
            for (JsonNode job : items) {
                String name = job.path("jobDefinitionName").asText("");
                if (watchedJobs.contains(name) && ACTIVE.contains(job.path("state").asText(""))) {
                    active.add(name);
                }
            }
            return active;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UnreadableAnswer("the scheduled-process answer is not JSON", answer.status(), answer.body());
        }
    }

    private static Check check(Exchange ex) {
        return ex.getProperty(CHECK, Check.class);
    }
}
