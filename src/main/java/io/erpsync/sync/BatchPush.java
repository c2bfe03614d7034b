package io.erpsync.sync;

import io.erpsync.conflict.LockRounds;
import io.erpsync.conflict.RetryAfter;
import io.erpsync.core.FailureClass;
import io.erpsync.core.Keys;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.InFlightItems;
import io.erpsync.store.SyncAttempts;
import io.erpsync.target.BatchOutcome;
import io.erpsync.target.ItemState;
import io.erpsync.target.PartFailure;
import io.erpsync.target.StateReads;
import io.erpsync.target.Target;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;
import io.erpsync.target.VersionedWrite;
import io.erpsync.wms.StockLevel;
import io.erpsync.wms.StockRows;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One batch's way through its target, step by step from routes/erp-push.camel.yaml: read the items
 * that need their current version (one read request), compare, write the changed ones (one write
 * request, only the field we own, each part with the version it was read at), and read the answer
 * part by part, until every item has an outcome or waits for the lane's next lock round. What the
 * requests look like and what an answer means is the {@link Target}'s.
 */
public final class BatchPush {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPush.class);
    private final Parking parking;
    private final BreakerReport breaker;
    private final ExceptionQueue queue;
    private final SyncAttempts attempts;
    private final LockRounds lockRounds;
    private final int staleAttempts;
    private final Clock clock;
    private final InFlightItems inFlight;
    private final StockRows rows;
    private final Target target;
    private final AdaptiveBatchSizes sizes;

    public BatchPush(Target target, Parking parking, BreakerReport breaker, ExceptionQueue queue, SyncAttempts attempts,
                     LockRounds lockRounds, InFlightItems inFlight, StockRows rows, int staleAttempts, AdaptiveBatchSizes sizes, Clock clock) {
        this.target = target;
        this.sizes = sizes;
        this.inFlight = inFlight;
        this.rows = rows;
        this.parking = parking;
        this.breaker = breaker;
        this.queue = queue;
        this.attempts = attempts;
        this.lockRounds = lockRounds;
        this.staleAttempts = staleAttempts;
        this.clock = clock;
    }

    /** The batch push of the batch's own target (this one unless several targets are configured). */
    private BatchPush own(Batch batch) {
        TargetLine l = batch.cycle().line();
        return l == null ? this : l.push();
    }

    /** The call route of the batch's target, for erp-push's calls. */
    public String callUri(@ExchangeProperty(Keys.BATCH) Batch batch) {
        return batch.cycle().callUri();
    }

    /**
     * Whether some item still needs a read or a write. A run that has failed settles the rest without an
     * outcome; items the target refuses as they stand ({@link StateReads#refusal}) are parked first, never
     * read or written, so a batch of only such items sends nothing.
     */
    public boolean hasWork(@ExchangeProperty(Keys.BATCH) Batch batch) {
        if (own(batch) != this) {
            return own(batch).hasWork(batch);
        }
        if (batch.cycle().failed()) {
            batch.settleAll();
            return false;
        }
        Map<PendingItem, String> refused = new LinkedHashMap<>();
        for (PendingItem item : batch.unsettledView()) {
            String why = item.snapshot() == null ? target.reads().refusal(item.level()) : null;
            if (why != null) {
                refused.put(item, why);
            }
        }
        refused.forEach((item, why) -> parking.park(batch, item, FailureClass.INVALID_ROW, why, null, null, null));
        return !batch.unsettledView().isEmpty();
    }

    /** Whether some item has no current version in hand (first try, a lock round, or changed underneath without one). */
    public boolean needsRead(@ExchangeProperty(Keys.BATCH) Batch batch) {
        return batch.anyUnsettled(i -> i.snapshot() == null);
    }

    /** Whether some item waits for its newest WMS row: someone else wrote the field we own since our read. */
    public boolean needsWmsRow(@ExchangeProperty(Keys.BATCH) Batch batch) {
        return batch.anyUnsettled(PendingItem::wmsRowNeeded);
    }

    /** The items whose newest WMS row is read again (routes/erp-push.camel.yaml, one wms.item-query each). */
    public List<PendingItem> wmsRowsNeeded(@ExchangeProperty(Keys.BATCH) Batch batch) {
        return batch.unsettled().stream().filter(PendingItem::wmsRowNeeded).toList();
    }

    /** The parameters of wms.item-query for the item. */
    public void wmsParameters(@Body PendingItem item, @Headers Map<String, Object> headers) {
        StockRows.itemQueryParameters(item.level().itemNumber(), item.level().organizationCode(), headers);
    }

    /**
     * Someone else wrote the value we own after our read (another replica, an operator, a second
     * integration): the item goes on with the WMS's newest row, never with the value we held. When the
     * target already holds that, it is in step.
     */
    public void newestWmsRow(@Body List<Map<String, Object>> found, @ExchangeProperty(Keys.ITEM) PendingItem item,
                             @ExchangeProperty(Keys.BATCH) Batch batch) {
        if (own(batch) != this) {
            own(batch).newestWmsRow(found, item, batch);
            return;
        }
        StockLevel held = item.level();
        StockLevel newest = rows.newest(found);
        item.wmsRowRead(newest == null ? null : new StockLevel(newest.itemNumber(), newest.organizationCode(), newest.quantity(),
                newest.updatedAt(), held.segment(), held.rowNumber()));
        ItemState snap = item.snapshot();
        LOG.info("Run {}: {} / {}: someone else wrote our field ({}) over the version we wrote against; the WMS's newest row "
                        + "says {} (we held {})", batch.cycle().runId(), held.itemNumber(), held.organizationCode(),
                snap == null ? "?" : snap.quantity(), item.level().quantity(), held.quantity());
        if (snap != null && snap.quantity() != null && snap.quantity().compareTo(item.level().quantity()) == 0) {
            settleInStep(batch, List.of(item));
        }
    }

    /** One read of up to the target's most items per read, of the items that need their current state and version. */
    public TargetRequest readRequest(@ExchangeProperty(Keys.BATCH) Batch batch) {
        if (own(batch) != this) {
            return own(batch).readRequest(batch);
        }
        StateReads reads = target.reads();
        Map<String, PendingItem> reading = new LinkedHashMap<>();
        for (PendingItem item : batch.unsettledView()) {
            if (item.snapshot() == null && reading.size() < reads.maxItems()) {
                reading.put(item.key(), item);
            }
        }
        batch.inFlight(reading);
        return reads.request(reading.values().stream().map(PendingItem::level).toList());
    }

    /**
     * Compares what the target holds with the WMS: equal items are settled unchanged and never written,
     * items the target does not know are parked, the others are ready to write with the version just read.
     */
    public void compare(@ExchangeProperty(Keys.BATCH) Batch batch, @Body TargetAnswer answer) {
        if (own(batch) != this) {
            own(batch).compare(batch, answer);
            return;
        }
        StateReads.StateRead read;
        try {
            read = target.reads().read(answer);
        } catch (UnreadableAnswer e) {
            if (!e.readingAgainHelps()) {
                batch.inFlight(Map.of());
                throw e;
            }
            unreadable(batch, batch.inFlight().values(), "read", e.getMessage(), e.status(), e.body());
            batch.inFlight(Map.of());
            return;
        }
        Map<String, ItemState> found = read.found();
        Map<String, PendingItem> reading = batch.inFlight();
        batch.inFlight(Map.of());
        if (read.again()) {
            return;
        }
        boolean foundAny = reading.keySet().stream().anyMatch(found::containsKey);
        List<PendingItem> inStep = new ArrayList<>();
        for (PendingItem item : reading.values()) {
            StockLevel level = item.level();
            ItemState snap = found.get(level.key());
            if (snap == null) {
                // an answer cut short is read again without the items found; nothing found at all is final
                if (!(read.cutShort() && foundAny)) {
                    String why = read.cutShort() ? " (the " + target.name() + "'s answer was cut short)" : "";
                    parking.park(batch, item, FailureClass.UNKNOWN_ITEM, "The " + target.name() + " has no item " + level.itemNumber()
                            + " in organization " + level.organizationCode() + why, 200, null, null);
                }
            } else if (snap.quantity() != null && snap.quantity().compareTo(level.quantity()) == 0) {
                inStep.add(item);
            } else {
                item.reread(snap);
                if (item.firstComparison()) {
                    batch.cycle().counted(Cycle.Outcome.CHANGED, 1);
                }
            }
        }
        settleInStep(batch, inStep);
    }

    /**
     * Items the target now holds at the WMS value: already so when first read (unchanged), or brought there
     * after they were found to differ, by our write whose answer was lost or stale (updated), so the
     * run's changed items add up to updated, parked and deferred.
     */
    private void settleInStep(Batch batch, List<PendingItem> inStep) {
        Map<Boolean, List<PendingItem>> byDiffered = inStep.stream().collect(Collectors.partitioningBy(PendingItem::differed));
        settle(batch, byDiffered.get(true), Cycle.Outcome.UPDATED);
        settle(batch, byDiffered.get(false), Cycle.Outcome.UNCHANGED);
    }

    /**
     * One write request of up to the run's batch size of ready items, each part with the version it
     * was read at, never two parts of one write group (the target's: writes to one object that would
     * fail each other go in consecutive requests). A lock round before the last first writes one item
     * of each lock owner alone (LockRounds#probes). Its items are recorded in flight first: should this
     * process freeze before the answer and its lease be taken over, the run that took over compares them again
     * (the batch's other items ready to write are recorded with them).
     */
    public TargetRequest writeRequest(@ExchangeProperty(Keys.BATCH) Batch batch) {
        if (own(batch) != this) {
            return own(batch).writeRequest(batch);
        }
        PendingItem probe = lockRounds.probes(batch.lockRound()) && !batch.cycle().isReplay() ? batch.nextProbe() : null;
        Map<String, PendingItem> parts = probe != null ? Map.of("part1", probe)
                : WriteParts.next(batch.unsettledView(), writeSize(batch), target.lanes());
        List<VersionedWrite> writes = new ArrayList<>(parts.size());
        parts.forEach((id, item) -> {
            ItemState read = item.snapshot();
            writes.add(new VersionedWrite(id, read.ref(), read.version(), item.level().quantity()));
        });
        batch.inFlight(parts, probe);
        // every item of the batch about to be written, at its first write: one store write for the few
        // write requests a wide read leads to, instead of one per request
        List<PendingItem> toWrite = batch.unsettledView().stream().filter(i -> i.snapshot() != null && !i.wmsRowNeeded()).toList();
        inFlight.record(batch.cycle().runId(), batch.cycle().newInFlight(toWrite), clock.instant());
        return target.writes().request(writes);
    }

    /**
     * The write's answer, part by part. Parts that were only rolled back (a target that applies a
     * batch all or nothing, as the ERP) keep their version and go in the next write at once (a locked
     * neighbour never holds them back); a stale part takes the version the target sent back, or is
     * read again, up to sync.retry.stale-attempts rounds; a locked part leaves for the lane's next lock
     * round, or after the last one is parked with its lock owner; a part the target refuses is parked
     * with its words.
     */
    public void outcome(@ExchangeProperty(Keys.BATCH) Batch batch, @Body TargetAnswer answer) {
        if (own(batch) != this) {
            own(batch).outcome(batch, answer);
            return;
        }
        Map<String, PendingItem> sent = batch.inFlight();
        PendingItem probe = batch.probeInFlight();
        batch.inFlight(Map.of());
        BatchOutcome o;
        try {
            o = target.writes().outcome(answer, sent.keySet());
        } catch (UnreadableAnswer e) {
            unreadable(batch, sent.values(), "write", e.getMessage(), e.status(), e.body());
            return;
        }
        Cycle cycle = batch.cycle();
        if (o == null) {
            String msg = target.answers().message(answer.body());
            for (PendingItem item : sent.values()) {
                parking.park(batch, item, FailureClass.REJECTED, "The " + target.name() + " refused the whole batch: " + msg,
                        answer.status(), msg, null);
            }
            return;
        }
        settle(batch, o.updated().stream().map(sent::get).toList(), Cycle.Outcome.UPDATED);
        if (!o.unanswered().isEmpty()) {
            unreadable(batch, o.unanswered().stream().map(sent::get).toList(), "write",
                    "the batch answer left out parts " + o.unanswered() + (o.unknown().isEmpty() ? "" : " and named parts never sent "
                            + o.unknown()), answer.status(), answer.body());
        }
        Instant now = clock.instant();
        List<SyncAttempts.Attempt> conflicts = new ArrayList<>();
        List<PendingItem> inStep = new ArrayList<>();
        o.stale().forEach((id, current) -> {
            PendingItem item = sent.get(id);
            conflicts.add(attempt(batch, item, now, 200, FailureClass.STALE_ETAG, null, null));
            if (!anotherStaleRound(batch, item, FailureClass.STALE_ETAG, 200, "the write was skipped over a newer version")) {
                return;
            }
            item.metNewerVersion(current);
            if (current != null && current.quantity() != null && current.quantity().compareTo(item.level().quantity()) == 0) {
                inStep.add(item);
            }
        });
        settleInStep(batch, inStep);
        Optional<Duration> retryAfter = RetryAfter.parse(answer.retryAfter(), now);
        List<PendingItem> busy = new ArrayList<>();
        PartFailure[] busyWith = {null};
        o.failed().forEach((id, f) -> {
            PendingItem item = sent.get(id);
            FailureClass fc = f.failureClass();
            switch (fc) {
                case RECORD_LOCKED -> locked(batch, item, item == probe, f, retryAfter, now, conflicts);
                // a part the target could not do now (a target whose parts answer apart: 429, 503, 5xx): read again, written again
                case THROTTLED, SERVER_ERROR -> {
                    busy.add(item);
                    busyWith[0] = f;
                }
                case STALE_ETAG, MODIFIED -> {
                    conflicts.add(attempt(batch, item, now, f.status(), fc, null, null));
                    if (anotherStaleRound(batch, item, fc, f.status(), f.message())) {
                        item.metNewerVersion(null);
                    }
                }
                default -> parking.park(batch, item, fc, "The " + target.name() + " refused the update: " + f.message(), f.status(),
                        f.message(), f.holder());
            }
        });
        if (!busy.isEmpty()) {
            unreadable(batch, busy, "write", "parts answered " + busyWith[0].status() + " " + busyWith[0].message(), busyWith[0].status(),
                    busyWith[0].message());
        }
        attempts.logAll(conflicts);
        cycle.counted(Cycle.Outcome.CONFLICT, conflicts.size());
        if (adapts(batch)) {
            sizes.answered(batch.label(), configured(batch), !conflicts.isEmpty());
        }
    }

    /**
     * A segment's batch writes at its segment's adaptive size (AdaptiveBatchSizes); a lock round or a
     * replay, which gathers items of many segments, at the cycle's configured size; a batch of stock-outs
     * in small writes of its own (issue 24: one locked neighbour delays few of them): sync.priority.batch-size,
     * adapting from there under its own label (stock-outs of M1) when sizes adapt.
     */
    private int writeSize(Batch batch) {
        return adapts(batch) ? sizes.size(batch.label(), configured(batch)) : configured(batch);
    }

    private static int configured(Batch batch) {
        return batch.stockOuts() ? batch.stockOutWrites() : batch.cycle().batchSize();
    }

    /** A segment's batch or a batch of stock-outs (sized as a segment of its own), not a lock round or a replay. */
    private static boolean adapts(Batch batch) {
        return batch.lockRound() == 0 && !batch.cycle().isReplay();
    }

    /**
     * An answer that does not parse or leaves items out (a proxy's page, a body cut short, parts
     * missing): a write may or may not have applied, so the items are read again and compared, which
     * is safe either way (an applied write reads as in step; the next write carries the version just
     * read). After sync.retry.stale-attempts such answers in one batch, the items are parked with what
     * the target sent.
     */
    private void unreadable(Batch batch, Collection<PendingItem> items, String what, String why, int status, String body) {
        int n = batch.unreadableAnswer();
        if (n <= staleAttempts) {
            LOG.warn("Run {} batch {}: the {}'s answer to a {} could not be used ({}); its {} items are read again",
                    batch.cycle().runId(), batch.label(), target.name(), what, why, items.size());
            items.forEach(i -> i.snapshot(null));
            return;
        }
        for (PendingItem item : items) {
            parking.park(batch, item, FailureClass.UNREADABLE_ANSWER, "The " + target.name() + "'s answer to a " + what + " could not be used " + n
                    + " times in a row: " + why, status, body, null);
        }
    }

    /**
     * A lock: counted against the target once (a stock-out sent first, at its end: BreakerReport), then the
     * next lock round, or parked after the last.
     */
    private void locked(Batch batch, PendingItem item, boolean probeAlone, PartFailure f, Optional<Duration> retryAfter, Instant now,
                        List<SyncAttempts.Attempt> conflicts) {
        int round = batch.lockRound();
        boolean another = lockRounds.another(round);
        if (!another || !item.isSentFirst()) {
            breaker.failed(batch, item, FailureClass.RECORD_LOCKED);
        }
        String ownerBefore = item.lockOwner();
        item.lockedBy(f.holder());
        if (another) {
            Duration wait = lockRounds.before(round + 1, retryAfter);
            conflicts.add(attempt(batch, item, now, f.status(), FailureClass.RECORD_LOCKED, f.holder(), wait));
            batch.lockedOut(item, retryAfter.orElse(null));
            // a probe written alone still locked: the rest of its owner's items wait for the next round untried
            // (not after a write that carried them too: each of those has its own answer)
            List<PendingItem> untried = probeAlone ? batch.stillLocked(item, ownerBefore, retryAfter.orElse(null)) : List.of();
            batch.cycle().counted(Cycle.Outcome.RETRIED, 1 + untried.size());
            if (!untried.isEmpty()) {
                LOG.info("Run {}: {} / {} still locked{} in {}: {} more items of that owner wait for the next round without a try",
                        batch.cycle().runId(), item.level().itemNumber(), item.level().organizationCode(),
                        ownerBefore.isEmpty() ? "" : " by " + ownerBefore, batch.label(), untried.size());
            }
        } else {
            conflicts.add(attempt(batch, item, now, f.status(), FailureClass.RECORD_LOCKED, f.holder(), null));
            String owner = f.holder();
            parking.park(batch, item, FailureClass.RECORD_LOCKED, "Still locked after " + round + " lock rounds"
                    + (owner == null ? "" : " (held by " + owner + ")") + ": " + f.message(), f.status(), f.message(), owner);
        }
    }

    /** Another user changed the item: another re-read-and-merge round, or parked when it keeps changing. */
    private boolean anotherStaleRound(Batch batch, PendingItem item, FailureClass fc, int status, String message) {
        int round = item.staleRound();
        if (round <= staleAttempts) {
            return true;
        }
        parking.park(batch, item, fc, "The item kept changing in the " + target.name() + ": " + staleAttempts + " re-read and merge rounds all met a newer "
                + "version (" + message + ")", status, message, null);
        return false;
    }

    private static SyncAttempts.Attempt attempt(Batch batch, PendingItem item, Instant now, int status, FailureClass fc, String owner,
                                                Duration wait) {
        StockLevel level = item.level();
        return new SyncAttempts.Attempt(batch.cycle().runId(), now, level.itemNumber(), level.organizationCode(), "BATCH", status,
                fc.name(), batch.lockRound() + 1, wait == null ? null : wait.toMillis(), false, owner);
    }

    /** Items now in step with the WMS: their open exception rows are closed, then they count settled. */
    private void settle(Batch batch, Collection<PendingItem> items, Cycle.Outcome outcome) {
        if (items.isEmpty()) {
            return;
        }
        Map<String, Instant> byKey = new LinkedHashMap<>();
        Set<String> open = batch.cycle().openExceptions();
        for (PendingItem item : items) {
            if (open.contains(item.key())) {
                byKey.put(item.key(), item.level().updatedAt());
            }
        }
        Instant now = clock.instant();
        open.removeAll(queue.settle(byKey, now, batch.cycle().runId()));
        batch.cycle().counted(outcome, items.size());
        long sinceStart = StockOuts.since(batch.cycle().startedAt(), now);
        for (PendingItem item : items) {
            batch.cycle().stockOuts().landed(item.key(), sinceStart);
            if (outcome == Cycle.Outcome.UPDATED) {
                breaker.landed(batch, item);
            }
            batch.settle(item);
        }
    }
}
