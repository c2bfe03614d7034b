package io.erpsync;

import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.conflict.FailurePolicy;
import io.erpsync.conflict.LockRounds;
import io.erpsync.conflict.RetryAfterDelay;
import io.erpsync.core.Run;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.InFlightItems;
import io.erpsync.store.RunLease;
import io.erpsync.store.SyncRuns;
import io.erpsync.sync.AdaptiveBatchSizes;
import io.erpsync.sync.BatchPush;
import io.erpsync.sync.BreakerReport;
import io.erpsync.sync.Cycles;
import io.erpsync.sync.LaneRoom;
import io.erpsync.sync.Lanes;
import io.erpsync.sync.LockRoundBatches;
import io.erpsync.sync.Parking;
import io.erpsync.sync.PrioritySettings;
import io.erpsync.sync.Replays;
import io.erpsync.sync.RetryLog;
import io.erpsync.sync.RunSlot;
import io.erpsync.sync.SegmentBatches;
import io.erpsync.sync.StockOutsFirst;
import io.erpsync.sync.SyncSettings;
import io.erpsync.sync.TargetLine;
import io.erpsync.sync.TargetSummaries;
import io.erpsync.target.Target;
import io.erpsync.target.TargetCalls;
import io.erpsync.wms.StockRows;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.Registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
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
    private final StorefrontConfiguration storefront;
    private TargetLine.Lines lines;
    private final Clock clock = Clock.systemUTC();
    private SyncSettings settings;
    private Cycles cycles;
    private SegmentBatches segmentBatches;
    private AdaptiveBatchSizes batchSizes;

    SyncConfiguration(Resources resources, StoreConfiguration store, BreakerAndGateConfiguration breakerAndGate, ErpConfiguration erp,
                      StorefrontConfiguration storefront) {
        this.storefront = storefront;
        this.resources = resources;
        this.erp = erp;
        this.storeConfiguration = store;
        this.breakerAndGate = breakerAndGate;
    }

    @Override
    public void configure(CamelContext ctx) {
        Settings s = new Settings(ctx.getPropertiesComponent());
        settings = SyncSettings.from(s);
        StoreConfiguration.Store store = storeConfiguration.store();
        StockRows rows = StockRows.of(settings.segmentFields());
        if (storefront.productIds() != null && storefront.productIds().fromColumn()) {
            rows = rows.withProductIds(storefront.productIds());
        }
        LockRounds lockRounds = settings.lockRounds();
        batchSizes = settings.adaptiveBatchSizes();
        List<String> names = s.list("targets");
        if (names.isEmpty()) {
            throw new StartupRefused("targets names no target; erp, storefront or both (erp,storefront)");
        }
        List<TargetLine> built = new ArrayList<>();
        RunSlot slot = null;
        for (String name : names) {
            if (built.stream().anyMatch(l -> l.name().equals(name))) {
                throw new StartupRefused("targets names " + name + " twice");
            }
            TargetLine line = line(name, built.isEmpty(), store, rows, lockRounds, slot);
            slot = line.cycles().slot();
            built.add(line);
        }
        lines = new TargetLine.Lines(built);
        TargetLine first = built.get(0);
        if (!names.equals(List.of(Run.DEFAULT_TARGET))) {
            built.forEach(l -> l.cycles().lines(l, lines));
        }
        cycles = first.cycles();
        segmentBatches = first.batches();
        Target target = target(first.name());
        Registry registry = ctx.getRegistry();
        registry.bind("targets", lines);
        // each target's cycle on its own thread (routes/sync-targets.camel.yaml): a thread per cycle, none queued behind another
        registry.bind("targetCycles", ctx.getExecutorServiceManager().newCachedThreadPool(this, "target cycles"));
        registry.bind("targetSummaries", new TargetSummaries());
        registry.bind("targetCalls", new TargetCalls());
        registry.bind("cycles", cycles);
        registry.bind("parking", first.parking());
        registry.bind("segmentBatches", segmentBatches);
        registry.bind("lanes", first.lanes());
        registry.bind("lockRoundBatches", new LockRoundBatches());
        registry.bind("batchHandOff", batchHandOff());
        registry.bind("laneRoom", new LaneRoom(settings.laneQueueSize(), settings.settleTimeout()));
        registry.bind("batchSizes", batchSizes);
        registry.bind("batchPush", first.push());
        registry.bind("failurePolicy", new FailurePolicy(target.answers()));
        registry.bind("retryAfter", new RetryAfterDelay(ctx, BACKOFF_CLAUSE, clock));
        registry.bind("retryLog", new RetryLog(target.answers(), store.attempts(), clock));
        registry.bind("replays", first.replays());
        registry.bind("alerts", settings.alerts());
        PrioritySettings priority = PrioritySettings.from(new Settings(ctx.getPropertiesComponent()));
        registry.bind("stockOutsFirst", new StockOutsFirst(priority.enabled(), priority.rule(), priority.batchSize(), rows, segmentBatches,
                settings.readSize(), settings.settleTimeout(), clock, new Settings(ctx.getPropertiesComponent()).required("wms.query")));
    }

    /** The target behind the seam by its name in the setting targets. */
    private Target target(String name) {
        if (name.equals(Run.DEFAULT_TARGET)) {
            return erp.target();
        }
        if (name.equals(StorefrontConfiguration.NAME)) {
            return storefront.target();
        }
        throw new StartupRefused("targets names '" + name + "': the targets are erp and storefront");
    }

    /**
     * One target's own beans. The ERP's rows keep their names (watermark wms, lanes lane-0 ..); another
     * target's watermark is wms:name and, when it is not the first, its lanes lane-name-0 ..
     */
    private TargetLine line(String name, boolean first, StoreConfiguration.Store store, StockRows rows, LockRounds lockRounds, RunSlot shared) {
        Target target = target(name);
        boolean isErp = name.equals(Run.DEFAULT_TARGET);
        UpdateBreaker breaker = isErp ? breakerAndGate.breaker() : storefront.breaker();
        BreakerReport report = new BreakerReport(breaker);
        ExceptionQueue queue = store.queue().forTarget(name);
        SyncRuns runs = store.runs().forTarget(name);
        InFlightItems inFlight = store.inFlight().forTarget(name);
        Parking parking = new Parking(target, queue, store.attempts(), report, clock);
        RunSlot slot = shared != null ? shared : new RunSlot(RunLease.STOCK, "", store.lease(), runs);
        Cycles c = new Cycles(runs, slot, isErp ? "wms" : "wms:" + name, queue, store.watermarks(), store.attempts().forTarget(name),
                inFlight, parking, rows, settings.cycles(), clock);
        int lanes = isErp ? settings.lanes() : storefront.lanes();
        int readSize = Math.min(settings.readSize(), target.reads().maxItems());
        SegmentBatches batches = new SegmentBatches(target, lanes, readSize, first ? "" : name + "-");
        BatchPush push = new BatchPush(target, parking, report, queue, store.attempts(), lockRounds, inFlight, rows, settings.staleAttempts(),
                batchSizes, clock);
        return new TargetLine(name, c, parking, push, new Lanes(breaker, report, lockRounds), batches, new Replays(c, queue, rows, parking),
                isErp ? TargetLine.ERP_CALL : "direct:storefront-call");
    }

    /** The configured targets' lines, for metrics and the status page. */
    TargetLine.Lines lines() {
        return lines;
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
     * The one thread that hands complete batches from segment-batches to the lanes, in the order they
     * completed, for every target. It never waits: a lane's queue takes whatever it is handed
     * (routes/lane.camel.yaml), and the runs that read keep what is handed bounded (LaneRoom: a run waits
     * before its next rows while one of its own lanes is full), so neither queue grows without bound.
     */
    private ExecutorService batchHandOff() {
        var pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "erp-sync batch hand-off");
            t.setDaemon(true);
            return t;
        });
        resources.add(pool::shutdownNow);
        return pool;
    }

    /** Each target's lanes from the lane route template (routes/lane.camel.yaml): lane-0 .. lane-(sync.lanes - 1) and lane-hot for the first. */
    @Override
    public void routesLoaded(CamelContext ctx) {
        List<String> laneNames = new ArrayList<>();
        for (TargetLine l : lines.all()) {
            laneNames.addAll(l.batches().laneNames());
        }
        try {
            for (String lane : laneNames) {
                TemplatedRouteBuilder.builder(ctx, "lane").routeId("lane-" + lane).parameter("lane", lane).add();
            }
        } catch (RuntimeException e) {
            throw new StartupRefused("erp-sync cannot create its lanes from routes/lane.camel.yaml: " + e.getMessage());
        }
    }
}
