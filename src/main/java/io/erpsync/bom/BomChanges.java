package io.erpsync.bom;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.conflict.BackoffPolicy;
import io.erpsync.conflict.LockRounds;
import io.erpsync.conflict.RetryAfter;
import io.erpsync.core.FailureClass;
import io.erpsync.core.Keys;
import io.erpsync.core.Texts;
import io.erpsync.store.BomParked;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.RunLease;
import io.erpsync.store.StoreException;
import io.erpsync.store.SyncAttempts;
import io.erpsync.store.SyncRuns;
import io.erpsync.store.Watermarks;
import io.erpsync.sync.Cycle;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetFailure;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.fusion.ErpJson;
import io.erpsync.target.fusion.FailureClassifier;
import io.erpsync.target.fusion.FusionAnswers;
import io.erpsync.target.fusion.FusionRequests;
import io.erpsync.target.fusion.RestQuery;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Bills of materials from routes/bom-*.camel.yaml, one change in its bill's lane (as {@code BatchPush}
 * is a batch in a stock lane); the BOM cycle that reads the inbox is {@link BomCycles}, replay and
 * release are {@link BomReplays}. A bill's queue ({@link BillQueues}) lets one change of a bill go at
 * a time, in request order (each moves the bill's ETag); there a change is read (GET the component,
 * its ETag), merged three ways ({@link BomMerge}) and PATCHed with If-Match with the fields it owns
 * only. A 412 or 409 "modified" reads and merges again, up to bom.retry.stale-attempts; a lock sends
 * the change off its lane for the lane's next lock round ({@link BomRetryRounds}) while its bill's
 * later changes wait behind it; a true conflict is parked with its three values and never
 * overwritten. A change whose earlier change of ours on the same component and field is parked waits
 * for it (WAITING_FOR_CHANGE) and is applied right after it. A bill whose true conflicts reach
 * bom.change-order.after within bom.change-order.window is held: its later changes are parked as
 * NEEDS_CHANGE_ORDER until a person releases it.
 */
public final class BomChanges {
    private static final Logger LOG = LoggerFactory.getLogger(BomChanges.class);
    // reads the ERP's answers; every body sent is written by ErpJson
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT = FusionRequests.VERSION_ROOT + "/itemStructures/";
    // item structures exist only on the ERP, so the BOM side reads refusals as the ERP means them
    private final FusionAnswers answers = new FusionAnswers();

    /** The settings of the BOM side (bom.*). */
    public record Settings(int lanes, int maxAttempts, int changeOrderAfter, Duration changeOrderWindow, double conflictAlertRate,
                           Duration settleTimeout, int backoffAttempts) {
    }

    private final Settings settings;
    private final BomRows rows = new BomRows();
    private final ExceptionQueue queue;
    private final SyncAttempts attempts;
    private final BomHolds holds;
    private final LockRounds lockRounds;
    private final Supplier<BackoffPolicy> backoff;
    private final Clock clock;
    private final BillQueues bills = new BillQueues();
    private final OurWrites ours;
    private final BomCycles cycles;
    private final BomReplays replays;
    // storefront.bundles: a mapped bill's quantity goes to its bundle too, after the ERP has it; null: off
    private volatile BundleWrites bundles;
    private final BundleRounds bundleRounds;

    public BomChanges(Settings settings, SyncRuns runs, RunLease lease, ExceptionQueue queue, SyncAttempts attempts, Watermarks watermarks,
                      BomHolds holds, OurWrites ours, LockRounds lockRounds, Supplier<BackoffPolicy> backoff, Clock clock) {
        this.settings = settings;
        this.ours = ours;
        this.queue = queue;
        this.attempts = attempts;
        this.holds = holds;
        this.lockRounds = lockRounds;
        this.backoff = backoff;
        this.clock = clock;
        this.cycles = new BomCycles(this, settings, runs, lease, queue, watermarks, clock);
        this.replays = new BomReplays(this, holds, clock);
        this.bundleRounds = new BundleRounds(lockRounds, settings.backoffAttempts(), (round, retryAfter) -> backoff.get().waitBefore(round,
                retryAfter));
    }

    /** Bundles follow the bills (storefront.bundles.enabled): each applied change of a mapped bill goes to its bundle too. */
    public void followedBy(BundleWrites bundles) {
        this.bundles = bundles;
    }

    /** The read of a bill's item structure (its ItemNumber names its bundle with storefront.bundles.by-item-number). */
    public static TargetRequest billRequest(long billId) {
        return FusionRequests.get(ROOT + billId, null);
    }

    /** The bill's item number in its item structure as read. */
    public static String billItemNumber(long billId, TargetAnswer answer) {
        try {
            String item = JSON.readTree(answer.body()).path("ItemNumber").asText("");
            if (!item.isBlank()) {
                return item;
            }
        } catch (IOException unreadable) {
            // reported below
        }
        throw new IllegalStateException("the ERP sent bill " + billId + " without its ItemNumber (" + answer.status() + ")");
    }

    /** The BOM cycle (routes/bom-cycle.camel.yaml), which hands its changes to these lanes. */
    public BomCycles cycles() {
        return cycles;
    }

    /** Replay of parked changes and release of held bills (routes/replay.camel.yaml, JMX). */
    public BomReplays replays() {
        return replays;
    }

    /** The lane of a change's bill (0 .. bom.lanes - 1): one bill, always the same lane. */
    public String laneOf(@Body BomWork work) {
        return String.valueOf(Math.floorMod(Long.hashCode(work.billId()), settings.lanes()));
    }

    // ---- one change in its bill's lane (routes/bom-apply.camel.yaml) ---------------------------------

    /** The bills' queues the lanes keep (routes/bom-lane.camel.yaml). */
    public BillQueues bills() {
        return bills;
    }

    /**
     * A change's turn in its bill's queue: held when its bill waits for a change order; waiting when
     * an earlier change of ours on the same component and field is parked (judged against the ERP now,
     * it would meet the value before that change and look like another user's). A change back from a
     * lock or back-off round was let through already.
     */
    public void enter(@Body BomWork work) {
        if (work.isBack()) {
            return;
        }
        Optional<BomHolds.Hold> hold = holds.of(work.billId());
        if (hold.isPresent()) {
            park(work, FailureClass.NEEDS_CHANGE_ORDER, "Held: " + hold.get().reason(), null, null, null);
            return;
        }
        BomChange c = work.change();
        ExceptionRow before = null;
        for (ExceptionRow r : queue.bomChain(c.billId(), work.componentId, c.componentItemNumber(), c.changeId(), c.fields().keySet())) {
            if (r.sourceUpdatedAt() != null && (r.sourceUpdatedAt().isBefore(c.requestedAt())
                    || r.sourceUpdatedAt().equals(c.requestedAt()) && r.changeId() < c.changeId())) {
                before = r;
            }
        }
        if (before != null) {
            parkWaiting(work, before);
        }
    }

    private void parkWaiting(BomWork work, ExceptionRow before) {
        BomChange c = work.change();
        String reason = "Waits for change " + before.changeId() + " (" + ("OPEN".equals(before.status()) ? "parked as "
                + before.failureClass() : "being replayed") + ", exception " + before.id() + "), our earlier change of " + c.component()
                + " on the same field: applied right after it, by the cycle or replay that applies it";
        LOG.info("BOM run {}: {} {}", work.run().runId(), c, reason);
        queue.parkBom(new BomParked(c.changeId(), c.billId(), work.componentId, c.component(), null, c.wantedQuantity(), c.requestedAt(),
                FailureClass.WAITING_FOR_CHANGE, reason, null, null, null, c.fields().keySet(), before.changeId()), work.run().runId(),
                clock.instant());
        work.run().counted(Cycle.Outcome.PARKED, 1);
        work.settle();
    }

    /** Whether the change is back from a round its bundle's write waited for (the ERP has it): its bundle only, no ERP request. */
    public boolean bundleOnly(@ExchangeProperty(Keys.WORK) BomWork work) {
        return work.bundleOutcome != null && !work.isSettled();
    }

    /** The bundle's write again, after its lock or back-off round: the change settles when the bundle has it. */
    public void bundleAgain(@ExchangeProperty(Keys.WORK) BomWork work) {
        if (work.run().failed()) {
            work.settle();
            return;
        }
        settle(work, work.bundleOutcome);
    }

    /** Whether the change still needs a read or a write (a failed run settles it without an outcome). */
    public boolean hasWork(@ExchangeProperty(Keys.WORK) BomWork work) {
        if (work.isSettled() || work.retryWait != null) {
            return false;
        }
        if (work.run().failed()) {
            work.settle();
            return false;
        }
        return true;
    }

    public boolean needsRead(@ExchangeProperty(Keys.WORK) BomWork work) {
        return work.current == null;
    }

    /** A whole-number id as the ERP sent it, or null when it is missing or no whole number. */
    static Long wholeId(Object value) {
        java.math.BigDecimal d = BomRows.decimal(value);
        try {
            return d == null ? null : d.longValueExact();
        } catch (ArithmeticException notWhole) {
            return null;
        }
    }

    /** The most components of one bill read to find one by its item number (100 pages of 500): beyond, the ERP's paging is not believed. */
    static final int MAX_COMPONENTS = 50_000;

    /** The component with its ETag; by its item number among the bill's components when the change has no ComponentSequenceId. */
    public TargetRequest readRequest(@ExchangeProperty(Keys.WORK) BomWork work) {
        String base = ROOT + work.billId() + "/child/Component";
        return work.componentId != null ? FusionRequests.get(base + "/" + work.componentId, null)
                : FusionRequests.get(base, "limit=" + RestQuery.LIMIT + "&offset=" + work.componentsOffset);
    }

    /** The component as read, merged three ways: nothing to send (already applied), a true conflict, or the fields to send. */
    public void merge(@ExchangeProperty(Keys.WORK) BomWork work, @Body TargetAnswer answer) throws IOException {
        Map<String, Object> component;
        String etag;
        if (work.componentId == null) {
            Map<String, Object> page = JSON.readValue(answer.body(), new TypeReference<>() { });
            if (!(page.get("items") instanceof List<?> items)) {
                park(work, FailureClass.UNREADABLE_ANSWER, "The ERP answered the components of bill " + work.billId() + " without their items",
                        answer.status(), Texts.cut(answer.body()), null);
                return;
            }
            for (Object o : items) {
                if (o instanceof Map<?, ?> m && work.change().componentItemNumber().equals(String.valueOf(m.get("ComponentItemNumber")))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> c = (Map<String, Object>) m;
                    // by id: a component met on two pages (the bill changed between them) is one component
                    work.componentsFound.put(String.valueOf(c.get("ComponentSequenceId")), c);
                }
            }
            // a bill of more components than a page holds: its next page, as the collection says there is one
            if (Boolean.TRUE.equals(page.get("hasMore"))) {
                if (items.isEmpty()) {
                    // why: a decision on part of the list could miss the component, or a second one of the item number
                    park(work, FailureClass.UNREADABLE_ANSWER, "The ERP said bill " + work.billId() + " had more components after "
                            + work.componentsOffset + " and sent none", answer.status(), Texts.cut(answer.body()), null);
                    return;
                }
                if (work.componentsOffset + items.size() > MAX_COMPONENTS) {
                    park(work, FailureClass.UNREADABLE_ANSWER, "The ERP listed more than " + MAX_COMPONENTS + " components of bill " + work.billId()
                            + " and said it had more; name the component meant by component_sequence_id", answer.status(), null, null);
                    return;
                }
                work.componentsOffset += items.size();
                return;
            }
            List<Map<String, Object>> found = new ArrayList<>(work.componentsFound.values());
            work.forgetComponentSearch();
            if (found.size() != 1) {
                park(work, FailureClass.REJECTED, found.isEmpty() ? "Bill " + work.billId() + " has no component "
                        + work.change().componentItemNumber() : "Bill " + work.billId() + " has " + found.size() + " components "
                        + work.change().componentItemNumber() + "; name the one meant by component_sequence_id", 200, null, null);
                return;
            }
            component = found.get(0);
            Long id = wholeId(component.get("ComponentSequenceId"));
            if (id == null) {
                // why: an answer we cannot use parks this change with the ERP's words; it never fails the BOM run
                park(work, FailureClass.UNREADABLE_ANSWER, "The ERP listed component " + work.change().componentItemNumber() + " of bill "
                        + work.billId() + " without a usable ComponentSequenceId (" + component.get("ComponentSequenceId") + ")",
                        answer.status(), Texts.cut(answer.body()), null);
                return;
            }
            work.componentId = id;
            etag = changeIndicator(component);
        } else {
            component = JSON.readValue(answer.body(), new TypeReference<>() { });
            etag = answer.header("ETag");
        }
        if (etag == null) {
            park(work, FailureClass.UNREADABLE_ANSWER, "The ERP sent component " + work.componentId + " of bill " + work.billId()
                    + " without its ETag", answer.status(), Texts.cut(answer.body()), null);
            return;
        }
        work.current = component;
        work.etag = etag.startsWith("\"") || etag.startsWith("W/") ? etag : "\"" + etag + "\"";
        BomMerge.Decision d = BomMerge.merge(work.change(), component, ours.of(work.billId(), work.componentId));
        if (d.conflicted()) {
            conflict(work, d);
        } else if (d.alreadyApplied()) {
            settle(work, Cycle.Outcome.UNCHANGED);
        } else {
            work.send = d.send();
        }
    }

    private static String changeIndicator(Map<String, Object> component) {
        if (component.get("links") instanceof List<?> links) {
            for (Object o : links) {
                if (o instanceof Map<?, ?> l && l.get("properties") instanceof Map<?, ?> p && p.get("changeIndicator") != null) {
                    return String.valueOf(p.get("changeIndicator"));
                }
            }
        }
        return null;
    }

    /** One PATCH of the owned fields the merge decided to send, with If-Match. */
    public TargetRequest writeRequest(@ExchangeProperty(Keys.WORK) BomWork work) {
        return FusionRequests.patch(ROOT + work.billId() + "/child/Component/" + work.componentId, ErpJson.body(work.send), work.etag);
    }

    /** The PATCH's answer: applied; or read and merge again (412, 409 modified); or wait for a lock round; or parked. */
    public void outcome(@ExchangeProperty(Keys.WORK) BomWork work, @Body TargetAnswer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            try {
                ours.wrote(work.billId(), work.componentId, work.send, clock.instant());
            } catch (StoreException e) {
                // why: the ERP has the change; a record missed costs at most a later change parked as a conflict, never the run
                LOG.warn("Change {} applied to component {} of bill {}, but what it wrote was not recorded ({}); a later change from the "
                        + "value before it may be parked as a conflict", work.change().changeId(), work.componentId, work.billId(), e.getMessage());
            }
            settle(work, Cycle.Outcome.UPDATED);
            return;
        }
        String message = ErpJson.errorMessage(answer.body());
        FailureClass fc = FailureClassifier.classify(status, message);
        Instant now = clock.instant();
        work.run().counted(Cycle.Outcome.CONFLICT, 1);
        if (fc == FailureClass.RECORD_LOCKED) {
            String owner = FailureClassifier.lockOwner(message);
            if (lockRounds.another(work.lockRound)) {
                work.lockRound++;
                Duration wait = lockRounds.before(work.lockRound, RetryAfter.parse(answer.retryAfter(), now));
                attempt(work, now, status, fc, owner, wait);
                work.run().counted(Cycle.Outcome.RETRIED, 1);
                work.waitOffLane("lock", wait);
            } else {
                attempt(work, now, status, fc, owner, null);
                park(work, fc, "Still locked after " + work.lockRound + " lock rounds" + (owner == null ? "" : " (held by " + owner + ")")
                        + ": " + message, status, message, owner);
            }
            return;
        }
        attempt(work, now, status, fc, null, null);
        if (++work.staleRounds < settings.maxAttempts()) {
            work.readAgain();
        } else {
            park(work, fc, "The component kept changing in the ERP: " + settings.maxAttempts() + " read-and-merge rounds all met a newer "
                    + "version (" + status + " " + message + ")", status, message, null);
        }
    }

    /** Whether the change goes off its lane to wait for a lock or back-off round (its bill's later changes wait behind it). */
    public boolean waitsOffLane(@ExchangeProperty(Keys.WORK) BomWork work) {
        return work.retryWait != null;
    }

    /** The locked or backing-off change, handed to its lane's next round (routes/bom-retry-rounds.camel.yaml). */
    public BomRetryRounds.Waiting retryRound(@ExchangeProperty(Keys.WORK) BomWork work) {
        int round = work.round();
        LOG.info("BOM run {}: {} waits {} ms off its lane for {} round {}", work.run().runId(), work, work.retryWait.toMillis(),
                work.retryKind, round);
        return new BomRetryRounds.Waiting(work.run(), laneOf(work), work.retryKind, round, work, work.retryWait);
    }

    /** Whether parked changes waited for this one, now applied: claimed for it, they go next in its bill's queue. */
    public boolean hasSuccessors(@ExchangeProperty(Keys.WORK) BomWork work) {
        return !work.successors.isEmpty();
    }

    public List<ExceptionRow> successors(@ExchangeProperty(Keys.WORK) BomWork work) {
        List<ExceptionRow> rows = work.successors;
        work.successors = List.of();
        return rows;
    }

    /** A change that waited for the change just applied, read again from the inbox: next in its bill's queue, in request order. */
    public void successorWork(@Body List<Map<String, Object>> found, @ExchangeProperty("exceptionRow") ExceptionRow row,
                              @ExchangeProperty(Keys.WORK) BomWork predecessor) {
        BomWork next = again(found, row, predecessor.run());
        if (next != null) {
            LOG.info("BOM run {}: {} applied; {} that waited for it goes next", predecessor.run().runId(), predecessor, next);
            bills.behind(next);
        }
    }

    /** The lane caught a failure the policy gave up on: the change has its outcome already, or gets none in a failed run. */
    public void failed(@ExchangeProperty(Keys.WORK) BomWork work) {
        if (!work.isSettled() && work.run().failed()) {
            work.settle();
        }
    }

    // ---- outcomes ----------------------------------------------------------------------------

    /** A same-field change by another user: parked with the three values, never overwritten; the bill may be held. */
    private void conflict(BomWork work, BomMerge.Decision d) {
        Object by = work.current.get("LastUpdatedBy");
        String changedBy = by == null ? null : String.valueOf(by);
        Instant now = clock.instant();
        attempt(work, now, 200, FailureClass.CONFLICT, changedBy, null);
        work.run().counted(Cycle.Outcome.CONFLICT, 1);
        park(work, FailureClass.CONFLICT, "Another user changed the same field" + (changedBy == null ? "" : " (last changed by " + changedBy + ")")
                + "; not overwritten: " + d.conflicts(), 200, null, changedBy);
        int recent = queue.bomConflictsSince(work.billId(), now.minus(settings.changeOrderWindow()));
        if (recent >= settings.changeOrderAfter()) {
            String reason = "bill " + work.billId() + " met " + recent + " conflicts within " + settings.changeOrderWindow().toHours()
                    + " h; its changes go through an ERP change order. Release it with releaseBill(" + work.billId()
                    + ") over JMX, then replay class=NEEDS_CHANGE_ORDER";
            if (holds.hold(work.billId(), reason, now)) {
                LOG.warn("BOM: {}", reason);
            }
        }
    }

    /**
     * The change has reached the ERP (or found it there): its row closes, and the parked changes that
     * waited for it are claimed and counted in its run before it counts settled, so the run waits for them too.
     */
    private void settle(BomWork work, Cycle.Outcome outcome) {
        BundleWrites b = bundles;
        if (b != null && b.follows(work.billId())) {
            // in the bill's turn: the bundle's writes keep the bill's request order
            String component = work.bundleOutcome != null ? work.bundleComponent : componentItemNumber(work);
            BundleWrites.Result r = b.write(work.change(), component);
            if (r instanceof BundleWrites.Again again) {
                Instant now = clock.instant();
                BundleRounds.Next next = bundleRounds.next(again, work.bundleLockRound, work.bundleBackoffRound, now);
                if (next.parked() == null) {
                    // the parent busy, or the storefront throttling: off the lane, so the lane goes on with other parents
                    if (next.kind().equals(BundleRounds.LOCK)) {
                        work.bundleLockRound = next.round();
                    } else {
                        work.bundleBackoffRound = next.round();
                    }
                    attempt(work, now, again.status() == null ? 0 : again.status(), again.failureClass(), again.holder(), next.delay());
                    work.run().counted(Cycle.Outcome.RETRIED, 1);
                    work.bundleOutcome = outcome;
                    work.bundleComponent = component;
                    work.waitOffLane(next.kind(), next.delay());
                    return;
                }
                r = next.parked();
            }
            if (r instanceof BundleWrites.Parked p) {
                if (p.failureClass() == FailureClass.CONFLICT) {
                    work.run().counted(Cycle.Outcome.CONFLICT, 1);
                }
                park(work, p.failureClass(), p.reason() + " (the ERP has the change; a replay finds it there and writes the bundle)",
                        p.status(), p.message(), p.holder());
                return;
            }
        }
        List<ExceptionRow> claimed = new ArrayList<>();
        for (ExceptionRow r : queue.waitingFor(work.change().changeId())) {
            if (queue.claimForReplay(r)) {
                claimed.add(r);
                work.run().claimed(r.id());
            }
        }
        work.successors = claimed;
        work.run().accepted(claimed.size());
        queue.settle(Map.of(work.change().key(), work.change().requestedAt()), clock.instant(), work.run().runId());
        work.run().counted(outcome, 1);
        work.settle();
    }

    /** The bundled product a change writes: its component's item number, from the change or the component as read. */
    private static String componentItemNumber(BomWork work) {
        Object item = work.current == null ? null : work.current.get("ComponentItemNumber");
        return work.change().componentItemNumber() != null ? work.change().componentItemNumber() : item == null ? null : String.valueOf(item);
    }

    private void park(BomWork work, FailureClass fc, String reason, Integer status, String erpMessage, String changedBy) {
        BomChange c = work.change();
        LOG.warn("BOM run {}: parked {} as {}: {}", work.run().runId(), c, fc, reason);
        queue.parkBom(new BomParked(c.changeId(), c.billId(), work.componentId, c.component(), null, c.wantedQuantity(), c.requestedAt(),
                fc, reason, status, erpMessage, changedBy, c.fields().keySet(), null), work.run().runId(), clock.instant());
        work.run().counted(Cycle.Outcome.PARKED, 1);
        work.settle();
    }

    /**
     * The error policy handed over a failed call for this change. Throttled or the ERP down: the
     * change waits its back-off off its lane (the policy's wait, or a longer Retry-After), then reads
     * again (a write that timed out may have applied: the merge then finds it in place), up to
     * bom.retry.max-retries retries; otherwise, and after them, it is parked with the ERP's words.
     */
    void giveUp(BomWork work, Throwable failure) {
        if (work.isSettled()) {
            return;
        }
        if (work.run().failed()) {
            work.settle();
            return;
        }
        TargetFailure f = TargetFailure.of(failure, answers);
        boolean backsOff = f.failureClass() == FailureClass.THROTTLED || f.failureClass() == FailureClass.SERVER_ERROR;
        if (backsOff && work.backoffRound < settings.backoffAttempts()) {
            Instant now = clock.instant();
            work.backoffRound++;
            Duration wait = backoff.get().waitBefore(work.backoffRound, RetryAfter.parse(f.retryAfter(), now));
            attempt(work, now, f.status(), f.failureClass(), null, wait);
            work.run().counted(Cycle.Outcome.RETRIED, 1);
            work.waitOffLane("back-off", wait);
            return;
        }
        park(work, f.failureClass(), f.reason("ERP"), f.statusOrNull(), f.message(), f.holder());
    }

    private void attempt(BomWork work, Instant now, int status, FailureClass fc, String owner, Duration wait) {
        attempts.log(new SyncAttempts.Attempt(work.run().runId(), now, work.change().component(), null, "BOM", status, fc.name(),
                work.staleRounds + work.lockRound + work.backoffRound + 1, wait == null ? null : wait.toMillis(), false, owner));
    }

    /** A parked change as the inbox has it now, in a run that counted it accepted; null (parked again) when the inbox lost it. */
    BomWork again(List<Map<String, Object>> found, ExceptionRow row, Cycle run) {
        BomRows.Result r = found.isEmpty() ? null : rows.read(found.get(found.size() - 1), 1);
        if (r == null || r.change() == null) {
            queue.parkBom(new BomParked(row.changeId(), row.billId(), row.componentId(), row.itemNumber(), null, row.wantedQuantity(),
                    row.sourceUpdatedAt(), FailureClass.INVALID_ROW, r == null ? "The BOM inbox no longer has change " + row.changeId()
                    : r.problem(), null, null, null, null, null), run.runId(), clock.instant());
            run.counted(Cycle.Outcome.PARKED, 1);
            run.settled(1);
            return null;
        }
        return new BomWork(this, run, r.change());
    }
}
