package io.erpsync.target.fusion;

import io.erpsync.target.AnswerClassifier;
import io.erpsync.target.TargetFailure;

/** The ERP's refusals by status and words (contract 2.3, 3, 4, 7). */
public final class FusionAnswers implements AnswerClassifier {

    @Override
    public TargetFailure refused(int status, String body, String retryAfter) {
        String msg = ErpJson.errorMessage(body);
        return new TargetFailure(FailureClassifier.classify(status, msg), status, msg, retryAfter, FailureClassifier.lockOwner(msg));
    }

    @Override
    public String message(String body) {
        return ErpJson.errorMessage(body);
    }
}
