package io.erpsync;

import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.conflict.FailurePolicy;
import io.erpsync.conflict.LockRounds;
import io.erpsync.conflict.RetryAfterDelay;
import io.erpsync.sync.AdaptiveBatchSizes;
import io.erpsync.sync.BatchPush;
import io.erpsync.sync.BreakerReport;
import io.erpsync.sync.Cycles;
import io.erpsync.sync.Lanes;
import io.erpsync.sync.LockRoundBatches;
import io.erpsync.sync.Parking;
import io.erpsync.sync.PrioritySettings;
import io.erpsync.sync.Replays;
import io.erpsync.sync.RetryLog;
import io.erpsync.sync.SegmentBatches;
import io.erpsync.sync.StockOutsFirst;
import io.erpsync.sync.SyncSettings;
import io.erpsync.target.Target;
import io.erpsync.wms.StockRows;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.Registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The stock sync: the cycle, the segments and their lanes, lock rounds, parking, replay; the beans by the names the routes use. */
final class SyncConfiguration implements CamelConfiguration, RoutesLoaded {
    /** The clause of routes/error-handling.camel.yaml whose back-off a Retry-After may lengthen. */
    static final String BACKOFF_CLAUSE = "throttled-or-down";
    private final Resources resources;
    private final StoreConfiguration storeConfiguration;
    private final BreakerAndGateConfiguration breakerAndGate;
    private final ErpConfiguration erp;
    private final Clock clock = Clock.systemUTC();
    private SyncSettings settings;
    private Cycles cycles;
    private SegmentBatches segmentBatches;
    private AdaptiveBatchSizes batchSizes;

    SyncConfiguration(Resources resources, StoreConfiguration store, BreakerAndGateConfiguration breakerAndGate, ErpConfiguration erp) {
        this.resources = resources;
        this.erp = erp;
        this.storeConfiguration = store;
        this.breakerAndGate = breakerAndGate;
    }

    @Override
    public void configure(CamelContext ctx) {
        settings = SyncSettings.from(new Settings(ctx.getPropertiesComponent()));
        StoreConfiguration.Store store = storeConfiguration.store();
        StockRows rows = StockRows.of(settings.segmentFields());
        BreakerReport report = new BreakerReport(breakerAndGate.breaker());
        LockRounds lockRounds = settings.lockRounds();
        Target target = erp.target();
        Parking parking = new Parking(target, store.queue(), store.attempts(), report, clock);
        cycles = new Cycles(store.runs(), store.lease(), store.queue(), store.watermarks(), store.attempts(), store.inFlight(), parking, rows,
                settings.cycles(), clock);
        segmentBatches = new SegmentBatches(target, settings.lanes(), settings.readSize());
        Registry registry = ctx.getRegistry();
        registry.bind("cycles", cycles);
        registry.bind("parking", parking);
        registry.bind("segmentBatches", segmentBatches);
        registry.bind("lanes", new Lanes(breakerAndGate.breaker(), report, lockRounds));
        registry.bind("lockRoundBatches", new LockRoundBatches());
        registry.bind("batchHandOff", batchHandOff());
        batchSizes = settings.adaptiveBatchSizes();
        registry.bind("batchSizes", batchSizes);
        registry.bind("batchPush", new BatchPush(target, parking, report, store.queue(), store.attempts(), lockRounds, store.inFlight(), rows,
                settings.staleAttempts(), batchSizes, clock));
        registry.bind("failurePolicy", new FailurePolicy(target.answers()));
        registry.bind("retryAfter", new RetryAfterDelay(ctx, BACKOFF_CLAUSE, clock));
        registry.bind("retryLog", new RetryLog(target.answers(), store.attempts(), clock));
        registry.bind("replays", new Replays(cycles, store.queue(), rows, parking));
        registry.bind("alerts", settings.alerts());
        PrioritySettings priority = PrioritySettings.from(new Settings(ctx.getPropertiesComponent()));
        registry.bind("stockOutsFirst", new StockOutsFirst(priority.enabled(), priority.rule(), priority.batchSize(), rows, segmentBatches,
                settings.readSize(), settings.settleTimeout(), clock));
    }

    /** Each segment's adaptive write size, for metrics and the status page. */
    AdaptiveBatchSizes batchSizes() {
        return batchSizes;
    }

    Cycles cycles() {
        return cycles;
    }

    /** The lock rounds (sync.retry.lock-delays), which the BOM side takes too. */
    LockRounds lockRounds() {
        return settings.lockRounds();
    }

    /**
     * The one thread that hands full batches from segment-batches to the lanes, in the order they
     * filled. A full queue makes the read wait (the caller blocks) instead of growing without bound or
     * running the hand-off itself out of order.
     */
    private ExecutorService batchHandOff() {
        var queue = new ArrayBlockingQueue<Runnable>(Math.max(1, settings.laneQueueSize()));
        var pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, queue,
                r -> {
                    Thread t = new Thread(r, "erp-sync batch hand-off");
                    t.setDaemon(true);
                    return t;
                },
                (task, executor) -> {
                    try {
                        if (!executor.isShutdown()) {
                            executor.getQueue().put(task);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException("interrupted while the lanes were full", e);
                    }
                });
        resources.add(pool::shutdownNow);
        return pool;
    }

    /** lane-0 .. lane-(sync.lanes - 1) and lane-hot from the lane route template (routes/lane.camel.yaml). */
    @Override
    public void routesLoaded(CamelContext ctx) {
        List<String> lanes = new ArrayList<>();
        for (int i = 0; i < segmentBatches.lanes(); i++) {
            lanes.add(String.valueOf(i));
        }
        lanes.add(SegmentBatches.HOT_LANE);
        try {
            for (String lane : lanes) {
                TemplatedRouteBuilder.builder(ctx, "lane").routeId("lane-" + lane).parameter("lane", lane).add();
            }
        } catch (RuntimeException e) {
            throw new StartupRefused("erp-sync cannot create its lanes from routes/lane.camel.yaml: " + e.getMessage());
        }
    }
}
