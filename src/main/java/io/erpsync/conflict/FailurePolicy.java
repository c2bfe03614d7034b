package io.erpsync.conflict;

import io.erpsync.core.FailureClass;
import io.erpsync.core.Keys;
import io.erpsync.core.OtherWork;
import io.erpsync.core.Run;
import io.erpsync.target.AnswerClassifier;
import io.erpsync.target.TargetFailure;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/** Which clause of routes/error-handling.camel.yaml a failed ERP call belongs to (its onWhen predicates). */
public final class FailurePolicy {
    private final AnswerClassifier answers;

    public FailurePolicy(AnswerClassifier answers) {
        this.answers = answers;
    }

    /** 401/403: the credentials are wrong for every item; retrying only adds load. */
    public boolean isCredentials(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        return TargetFailure.of(failure, answers).isCredentials();
    }

    /** Whether a failed call may be tried again: not once its run has failed (or erp-sync is stopping). */
    public boolean runGoesOn(@ExchangeProperty(Keys.CYCLE) Run run) {
        return run == null || !run.failed();
    }

    /** Whether a failed call waits its back-off in place (a stock batch), not off its lane (a BOM change, {@link OtherWork#retriesOffLane}). */
    public boolean retriesInPlace(@ExchangeProperty(Keys.WORK) OtherWork work) {
        return work == null || !work.retriesOffLane();
    }

    /** 429/503, 5xx, connection resets and timeouts: the ERP is busy or down, so back off and try again. */
    public boolean isThrottledOrDown(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        FailureClass fc = TargetFailure.of(failure, answers).failureClass();
        return fc == FailureClass.THROTTLED || fc == FailureClass.SERVER_ERROR;
    }
}
