package io.erpsync.target.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.erpsync.core.FailureClass;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void erp_answers_map_to_failure_classes_and_lock_owners() {
        assertEquals(FailureClass.RECORD_LOCKED, FailureClassifier.classify(409, "RECORD_LOCKED: Item A locked by user X"));
        assertEquals(FailureClass.MODIFIED, FailureClassifier.classify(409, "The resource has been modified"));
        assertEquals(FailureClass.STALE_ETAG, FailureClassifier.classify(412, ""));
        assertEquals(FailureClass.THROTTLED, FailureClassifier.classify(429, ""));
        assertEquals(FailureClass.SERVER_ERROR, FailureClassifier.classify(502, ""));
        assertEquals(FailureClass.REJECTED, FailureClassifier.classify(404, ""));
        assertEquals("FUSION_BATCH", FailureClassifier.lockOwner("Item ITM-2847 locked by user FUSION_BATCH"));
    }

    @Test
    void a_500_is_the_erp_failing_not_a_refusal_of_our_data() {
        assertEquals(FailureClass.SERVER_ERROR, FailureClassifier.classify(500, "Internal Server Error"));
        assertEquals(FailureClass.THROTTLED, FailureClassifier.classify(503, null));
        assertEquals(FailureClass.REJECTED, FailureClassifier.classify(499, ""), "the last 4xx");
        assertEquals(FailureClass.REJECTED, FailureClassifier.classify(400, null));
    }

    @Test
    void no_answer_at_all_is_a_server_error() {
        assertEquals(FailureClass.SERVER_ERROR, FailureClassifier.classify(0, null), "a connection reset has no status");
        assertEquals(FailureClass.SERVER_ERROR, FailureClassifier.classify(-1, ""));
        assertEquals(FailureClass.REJECTED, FailureClassifier.classify(1, ""));
    }

    @Test
    void a_409_without_words_is_a_modification() {
        assertEquals(FailureClass.MODIFIED, FailureClassifier.classify(409, null));
    }

    @Test
    void a_message_without_an_owner_names_none() {
        assertNull(FailureClassifier.lockOwner(null));
        assertNull(FailureClassifier.lockOwner("RECORD_LOCKED: the item is locked"));
        assertEquals("JOB-7", FailureClassifier.lockOwner("locked by user JOB-7 since 08:00"));
    }
}
