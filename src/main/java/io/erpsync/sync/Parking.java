package io.erpsync.sync;

import io.erpsync.core.FailedAttempt;
import io.erpsync.core.FailureClass;
import io.erpsync.core.Keys;
import io.erpsync.core.OtherWork;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.LeaseLost;
import io.erpsync.store.ParkedItem;
import io.erpsync.store.SyncAttempts;
import io.erpsync.target.Target;
import io.erpsync.target.TargetFailure;
import io.erpsync.wms.RowRejected;
import io.erpsync.wms.StockLevel;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.time.Clock;
import java.time.Instant;

/**
 * Where the runtime gives up on an item: the exception queue, with the target's own words; and, where
 * nothing item by item can help (wrong credentials, a broken store), the run fails and keeps its
 * watermark. Called from routes/error-handling.camel.yaml and from the batch's own steps.
 */
public final class Parking {
    private static final Logger LOG = LoggerFactory.getLogger(Parking.class);

    private final Target target;
    private final ExceptionQueue queue;
    private final SyncAttempts attempts;
    private final BreakerReport breaker;
    private final Clock clock;

    public Parking(Target target, ExceptionQueue queue, SyncAttempts attempts, BreakerReport breaker, Clock clock) {
        this.target = target;
        this.queue = queue;
        this.attempts = attempts;
        this.breaker = breaker;
        this.clock = clock;
    }

    /** The policy gave up on a call (past its retries, or refused outright): every item of the batch still without an outcome is parked. */
    public void parkBatch(@ExchangeProperty(Keys.BATCH) Batch batch, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure,
                          @ExchangeProperty(Keys.FAILED_ATTEMPT) FailedAttempt last, @Header(Exchange.HTTP_METHOD) String method,
                          @ExchangeProperty(Keys.WORK) OtherWork other) {
        if (batch != null && batch.cycle().line() != null && batch.cycle().line().parking() != this) {
            batch.cycle().line().parking().parkBatch(batch, failure, last, method, other);
            return;
        }
        if (batch == null) {
            if (other != null) {
                other.giveUp(failure);
            }
            return;
        }
        if (batch.cycle().failed()) {
            // the run failed (or erp-sync is stopping): its items are read again by the next cycle, not parked
            batch.settleAll();
            return;
        }
        TargetFailure f = TargetFailure.of(failure, target.answers());
        Instant at = last == null ? clock.instant() : last.at();
        attempts.log(new SyncAttempts.Attempt(batch.cycle().runId(), at, null, null, method == null ? "?" : method, f.statusOrNull(),
                f.failureClass().name(), last == null ? 1 : last.number(), null, false, f.holder()));
        for (PendingItem item : batch.unsettled()) {
            park(batch, item, f.failureClass(), f.reason(target.name()), f.statusOrNull(), f.message(), f.holder());
        }
    }

    /** Wrong credentials or a broken store: the run fails, keeps its watermark, and parks nothing. */
    public void failRun(@ExchangeProperty(Keys.CYCLE) Cycle cycle, @ExchangeProperty(Keys.BATCH) Batch batch,
                        @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure,
                        @ExchangeProperty(Keys.WORK) OtherWork other) {
        if (failure instanceof LeaseLost lost) {
            // the run has failed already and the lease said so once (RunLease); nothing more to send or park
            Cycle run = batch != null ? batch.cycle() : cycle;
            if (run != null) {
                run.leaseLost(lost.getMessage());
            }
            if (batch != null) {
                batch.settleAll();
            }
            if (other != null) {
                other.failRun(lost.getMessage());
            }
            return;
        }
        Cycle owner = batch != null ? batch.cycle() : cycle;
        if (owner != null && owner.line() != null && owner.line().parking() != this) {
            owner.line().parking().failRun(cycle, batch, failure, other);
            return;
        }
        TargetFailure f = TargetFailure.of(failure, target.answers());
        String why = f.isCredentials() ? "the " + target.name() + " refused the credentials (HTTP " + f.status() + "): " + f.message()
                : failure instanceof SSLException ? "the " + target.name() + "'s certificate is not trusted or names another host "
                + "(erp.tls.truststore; README: Security): " + failure.getMessage()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        Cycle run = batch != null ? batch.cycle() : cycle;
        if (run != null) {
            run.fail(why);
        }
        if (batch != null) {
            batch.settleAll();
        }
        if (other != null) {
            other.failRun(why);
        }
        LOG.error("Run fails: {}", why);
    }

    /** One item of a batch gives up: parked, settled, and reported to the breaker when the target is to blame. */
    void park(Batch batch, PendingItem item, FailureClass fc, String reason, Integer status, String erpMessage, String owner) {
        park(batch.cycle(), item.level(), fc, reason, status, erpMessage, owner);
        breaker.failed(batch, item, fc);
        batch.settle(item);
    }

    /** A WMS row that cannot be synced: parked with the reason that names it. */
    void parkRow(Cycle cycle, RowRejected bad) {
        if (bad.itemNumber() != null) {
            cycle.openExceptions().add(ExceptionQueue.key(bad.itemNumber(), bad.organizationCode()));
        }
        queue.park(new ParkedItem(bad.itemNumber(), bad.organizationCode(), bad.segment(), bad.quantity(), bad.updatedAt(),
                FailureClass.INVALID_ROW, bad.reason(), null, null, null), cycle.runId(), clock.instant());
        cycle.counted(Cycle.Outcome.PARKED, 1);
        LOG.warn("Run {}: parked {}", cycle.runId(), bad.reason());
    }

    void park(Cycle cycle, StockLevel level, FailureClass fc, String reason, Integer status, String erpMessage, String owner) {
        cycle.openExceptions().add(level.key());
        cycle.stockOuts().parked(level.key());
        queue.park(new ParkedItem(level.itemNumber(), level.organizationCode(), level.segment(), level.quantity(), level.updatedAt(),
                fc, reason, status, erpMessage, owner), cycle.runId(), clock.instant());
        cycle.counted(Cycle.Outcome.PARKED, 1);
        LOG.warn("Run {}: parked {} / {} as {}: {}", cycle.runId(), level.itemNumber(), level.organizationCode(), fc, reason);
    }
}
