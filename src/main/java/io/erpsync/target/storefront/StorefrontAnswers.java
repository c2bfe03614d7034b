package io.erpsync.target.storefront;

import io.erpsync.target.AnswerClassifier;
import io.erpsync.target.TargetFailure;

/** The storefront's refusals by fault type (contract section 2), 429/503 throttled as for the ERP (section 6). */
public final class StorefrontAnswers implements AnswerClassifier {

    @Override
    public TargetFailure refused(int status, String body, String retryAfter) {
        StorefrontFault fault = StorefrontFault.of(body);
        return new TargetFailure(fault.failureClass(status), status, fault.words(), retryAfter, fault.holder());
    }

    @Override
    public String message(String body) {
        return StorefrontFault.of(body).words();
    }
}
