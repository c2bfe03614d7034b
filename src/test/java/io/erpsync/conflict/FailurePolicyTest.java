package io.erpsync.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.Run;
import io.erpsync.target.UnreadableAnswer;
import io.erpsync.target.fusion.FusionAnswers;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Which clause of routes/error-handling.camel.yaml a failed ERP call takes. */
class FailurePolicyTest {
    final FailurePolicy policy = new FailurePolicy(new FusionAnswers());

    static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://erp/batch", status, "", null, Map.of(), "{\"title\":\"no\"}");
    }

    static Run run(boolean failed) {
        return new Run() {
            @Override
            public long runId() {
                return 1;
            }

            @Override
            public void requestSent() {
            }

            @Override
            public boolean failed() {
                return failed;
            }
        };
    }

    @Test
    void only_401_and_403_are_wrong_credentials() {
        assertEquals(List.of(true, true, false, false), Stream.of(401, 403, 400, 500).map(s -> policy.isCredentials(http(s))).toList());
        assertFalse(policy.isCredentials(new IOException("reset")));
    }

    @Test
    void throttling_server_errors_and_broken_connections_are_backed_off() {
        assertEquals(List.of(true, true, true, true), Stream.of(429, 503, 500, 502).map(s -> policy.isThrottledOrDown(http(s))).toList());
        assertTrue(policy.isThrottledOrDown(new SocketTimeoutException("read timed out")));
    }

    @Test
    void refusals_conflicts_and_unreadable_answers_are_not_backed_off() {
        assertEquals(List.of(false, false, false, false), Stream.of(400, 404, 409, 412).map(s -> policy.isThrottledOrDown(http(s))).toList());
        assertFalse(policy.isThrottledOrDown(new UnreadableAnswer("not JSON", 200, "<html>")));
    }

    @Test
    void a_call_is_tried_again_only_while_its_run_goes_on() {
        assertTrue(policy.runGoesOn(run(false)));
        assertFalse(policy.runGoesOn(run(true)));
        assertTrue(policy.runGoesOn(null), "a call outside a run");
    }

    static io.erpsync.core.OtherWork work(boolean offLane) {
        return new io.erpsync.core.OtherWork() {
            @Override
            public void giveUp(Throwable failure) {
            }

            @Override
            public void failRun(String why) {
            }

            @Override
            public boolean retriesOffLane() {
                return offLane;
            }
        };
    }

    @Test
    void a_stock_batch_backs_off_in_place_and_a_bom_change_off_its_lane() {
        assertTrue(policy.retriesInPlace(null), "a stock batch carries no other work");
        assertTrue(policy.retriesInPlace(work(false)));
        assertFalse(policy.retriesInPlace(work(true)), "a BOM change waits off its lane, holding only its bill");
    }
}
