package io.erpsync.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.bom.BomReplays;
import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.core.CycleSummary;
import io.erpsync.gate.JobGate;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.SyncRuns;
import io.erpsync.sync.CycleRunner;
import io.erpsync.sync.Cycles;
import org.apache.camel.CamelContext;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The SyncService MBean. Attributes are read from the store and the live beans (nothing cached), so
 * they say the same as sync_run and sync_exception; operations go through the same routes as the
 * schedule and the command line.
 */
public final class SyncService implements SyncServiceMBean {
    public static final String OBJECT_NAME = "erp-sync:type=SyncService";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext ctx;
    private final Schedule schedule;
    private final SyncRuns runs;
    private final ExceptionQueue queue;
    private final Cycles cycles;
    private final JobGate gate;
    private final UpdateBreaker breaker;
    private final ExecutorService background;
    private final Clock clock;
    private final BomReplays bom;

    public SyncService(CamelContext ctx, SyncRuns runs, ExceptionQueue queue, Cycles cycles, JobGate gate, UpdateBreaker breaker,
                       BomReplays bom, ExecutorService background, Clock clock) {
        this.bom = bom;
        this.ctx = ctx;
        this.schedule = new Schedule(ctx);
        this.runs = runs;
        this.queue = queue;
        this.cycles = cycles;
        this.gate = gate;
        this.breaker = breaker;
        this.background = background;
        this.clock = clock;
    }

    private CycleSummary last() {
        List<CycleSummary> latest = runs.latest(1);
        return latest.isEmpty() ? null : latest.get(0);
    }

    @Override
    public String getLastCycleStatus() {
        CycleSummary s = last();
        return s == null ? "NONE" : s.status();
    }

    /** The last run's summary with the node (host and process) that ran it: in cluster mode, any of them. */
    @Override
    public String getLastCycleSummary() {
        List<SyncRuns.Run> latest = runs.history(1);
        if (latest.isEmpty()) {
            return "";
        }
        Map<String, Object> m = new LinkedHashMap<>(latest.get(0).summary().asMap());
        m.put("node", latest.get(0).node());
        return json(m);
    }

    @Override
    public String getLastBomSummary() {
        List<SyncRuns.Run> latest = runs.bomHistory(1);
        return latest.isEmpty() ? "" : json(latest.get(0).summary().asMap());
    }

    @Override
    public String[] getHeldBills() {
        return bom.held().stream().map(h -> h.billId() + " (since " + h.heldAt() + "): " + h.reason()).toArray(String[]::new);
    }

    @Override
    public String releaseBill(long billId) {
        boolean released = bom.release(billId, "JMX");
        return released ? "bill " + billId + " released; its held changes go through, in request order, with replayExceptions(\"class=NEEDS_CHANGE_ORDER\")"
                : "bill " + billId + " is not held";
    }

    @Override
    public String getNextFireTime() {
        return schedule.nextFire();
    }

    @Override
    public boolean isSchedulePaused() {
        return schedule.isPaused();
    }

    @Override
    public double getConflictRateLastCycle() {
        return runs.conflictRates(clock.instant().minus(Duration.ofHours(24)))[0];
    }

    @Override
    public double getConflictRate24h() {
        return runs.conflictRates(clock.instant().minus(Duration.ofHours(24)))[1];
    }

    @Override
    public String getOpenExceptionsByClass() {
        return json(queue.openByClass());
    }

    @Override
    public String getBreakerState() {
        return breaker.state().name();
    }

    @Override
    public String getGateState() {
        JobGate.Check c = gate.current();
        return c == null ? "open" : "waiting for " + c.waitingFor() + " since " + c.since();
    }

    @Override
    public String[] getHotItems() {
        return cycles.hotItems().stream().sorted().toArray(String[]::new);
    }

    @Override
    public String runNow() {
        background.submit(() -> CycleRunner.runCycles(ctx, "RUN_NOW"));
        return "cycle requested; see LastCycleSummary (a cycle already running records this one as SKIPPED_OVERLAP)";
    }

    @Override
    public void pause() {
        try {
            schedule.pause();
        } catch (Exception e) {
            throw new IllegalStateException("could not pause the schedule: " + e.getMessage(), e);
        }
    }

    @Override
    public void resume() {
        try {
            schedule.resume();
        } catch (Exception e) {
            throw new IllegalStateException("could not resume the schedule: " + e.getMessage(), e);
        }
    }

    @Override
    public String replayExceptions(String filter) {
        return json(replay(filter).asMap());
    }

    private CycleSummary replay(String filter) {
        return CycleRunner.runReplay(ctx, filter == null || filter.isBlank() ? "all" : filter);
    }

    /**
     * The status page's replay: one pressed while a cycle runs waits for it to end (at most
     * {@code max}, a few turns if the next cycle slips in first) instead of being skipped as an overlap.
     */
    public String replayWhenIdle(String filter, Duration max) throws InterruptedException {
        CycleSummary s = null;
        for (int turn = 0; turn < 3; turn++) {
            if (!cycles.awaitIdle(max)) {
                break;
            }
            s = replay(filter);
            if (!CycleSummary.SKIPPED_OVERLAP.equals(s.status())) {
                return json(s.asMap());
            }
        }
        return json((s != null ? s : replay(filter)).asMap());
    }

    @Override
    public String coolDownHotItems() {
        int before = cycles.hotItems().size();
        cycles.coolDownHotItems();
        return before + " hot items cooled down; they go in batches from the next cycle";
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return String.valueOf(o);
        }
    }
}
