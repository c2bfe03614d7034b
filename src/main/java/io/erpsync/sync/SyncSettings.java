package io.erpsync.sync;

import io.erpsync.config.Settings;
import io.erpsync.conflict.LockRounds;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** The stock sync's settings (application.properties: Schedule, Batching, Retries, Alerts, Time-of-day batch sizes). */
public record SyncSettings(String segmentFields, int lanes, int readSize, int laneQueueSize, String batchWindows, int batchSize,
                           ZoneId batchZone, Duration settleTimeout, boolean fullReconcileEveryCycle, int hotCycles, Duration repairFor,
                           List<Duration> lockDelays, Duration maxDelay, boolean lockProbe, int staleAttempts, double alertParkedRatio,
                           double alertConflictRate, Optional<String> alertWebhookUrl,
                           boolean adaptive, int adaptiveFloor, Optional<Integer> adaptiveCeiling, double adaptiveDecrease,
                           int adaptiveIncrease) {

    public static SyncSettings from(Settings s) {
        return new SyncSettings(s.text("sync.segment.fields"), s.integer("sync.lanes"), s.integer("sync.read-size"),
                s.integer("sync.lane.queue-size"), s.optional("sync.batch.windows").orElse(""), s.integer("sync.batch-size"),
                ZoneId.of(s.text("sync.batch.zone")), s.duration("sync.cycle.settle-timeout"), s.flag("sync.full-reconcile.every-cycle"),
                s.integer("sync.hot.cycles"), s.duration("sync.lease.repair-for"), s.durations("sync.retry.lock-delays"),
                s.duration("sync.retry.max-delay"), s.flag("sync.retry.lock-probe"), s.integer("sync.retry.stale-attempts"), s.decimal("sync.alert.parked-ratio"),
                s.decimal("sync.alert.conflict-rate"), s.optional("sync.alert.webhook-url"),
                s.flag("sync.batch.adaptive"), s.integer("sync.batch.adaptive.floor"),
                s.optional("sync.batch.adaptive.ceiling").map(Integer::valueOf), s.decimal("sync.batch.adaptive.decrease"),
                s.integer("sync.batch.adaptive.increase"));
    }

    public Cycles.Settings cycles() {
        return new Cycles.Settings(BatchWindows.parse(batchWindows, batchSize, batchZone), settleTimeout, fullReconcileEveryCycle, hotCycles,
                repairFor);
    }

    /** The lock rounds (sync.retry.lock-delays, sync.retry.lock-probe), the stock side's and the BOM side's. */
    public LockRounds lockRounds() {
        return new LockRounds(lockDelays, maxDelay, lockProbe);
    }

    /** Each segment's write size, following its locks and stale versions (sync.batch.adaptive.*). */
    public AdaptiveBatchSizes adaptiveBatchSizes() {
        return new AdaptiveBatchSizes(adaptive, adaptiveFloor, adaptiveCeiling.orElse(null), adaptiveDecrease, adaptiveIncrease);
    }

    public Alerts alerts() {
        return new Alerts(alertParkedRatio, alertConflictRate, alertWebhookUrl.orElse(null));
    }
}
