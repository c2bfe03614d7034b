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

    static Settings settings(java.util.Map<String, String> values) {
        org.apache.camel.CamelContext ctx = new org.apache.camel.impl.DefaultCamelContext();
        java.util.Properties p = new java.util.Properties();
        p.putAll(values);
        ctx.getPropertiesComponent().setInitialProperties(p);
        return new Settings(ctx.getPropertiesComponent());
    }

    @Test
    void sizes_read_as_operators_write_them() {
        Settings s = settings(java.util.Map.of("a", "32MB", "b", "512 kb", "c", "65536", "d", "lots"));
        assertEquals(32L << 20, s.bytes("a", 0));
        assertEquals(512L << 10, s.bytes("b", 0));
        assertEquals(65536, s.bytes("c", 0));
        assertEquals(7, s.bytes("missing", 7));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.bytes("d", 0));
        assertEquals("setting d must be a size such as 32MB, 512KB or 65536, was 'lots'", e.getMessage());
    }

    @Test
    void a_secret_comes_from_its_setting_or_from_the_file_its_file_setting_names(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("pw"), "s3cret\n");
        java.nio.file.Path empty = java.nio.file.Files.writeString(dir.resolve("empty"), "\n");
        assertEquals("direct", settings(java.util.Map.of("erp.password", "direct")).secret("erp.password"));
        assertEquals("s3cret", settings(java.util.Map.of("erp.password-file", file.toString())).secret("erp.password"),
                "the file's contents without the line break a secret mount ends with");
        assertEquals(null, settings(java.util.Map.of()).secret("erp.password"));
        assertEquals("both erp.password and erp.password-file are set; keep one", assertThrows(StartupRefused.class,
                () -> settings(java.util.Map.of("erp.password", "x", "erp.password-file", file.toString())).secret("erp.password"))
                .getMessage());
        assertEquals("erp.password-file " + empty + " is empty", assertThrows(StartupRefused.class,
                () -> settings(java.util.Map.of("erp.password-file", empty.toString())).secret("erp.password")).getMessage());
        String missing = assertThrows(StartupRefused.class, () -> settings(java.util.Map.of("erp.password-file", dir.resolve("nope").toString()))
                .secret("erp.password")).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(missing.startsWith("erp.password-file " + dir.resolve("nope") + " cannot be read"), missing);
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
