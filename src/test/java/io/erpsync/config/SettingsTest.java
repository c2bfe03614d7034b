package io.erpsync.config;

import io.erpsync.core.FailureClass;
import io.erpsync.erp.FailureClassifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsTest {

    @Test
    void durations_read_as_operators_write_them() {
        assertEquals(Duration.ofSeconds(2), Durations.parse("k", "2s"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("k", "10m"));
        assertEquals(Duration.ofMillis(250), Durations.parse("k", "250"));
        assertEquals(Duration.ofDays(7), Durations.parse("k", "7d"));
        assertThrows(IllegalStateException.class, () -> Durations.parse("k", "soon"));
    }

    @Test
    void environment_names_are_upper_case_with_underscores() {
        assertEquals("ERP_BASE_URL", RequiredSettings.envName("erp.base-url"));
        assertEquals("WMS_DATASOURCE_URL", RequiredSettings.envName("wms.datasource.url"));
    }

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
}
