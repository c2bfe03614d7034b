package io.erpsync.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    @Test
    void durations_read_as_operators_write_them() {
        assertEquals(Duration.ofSeconds(2), Durations.parse("k", "2s"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("k", "10m"));
        assertEquals(Duration.ofMillis(250), Durations.parse("k", "250"));
        assertEquals(Duration.ofDays(7), Durations.parse("k", "7d"));
        assertEquals(Duration.ofHours(1), Durations.parse("k", " 1 h "));
        assertEquals("setting k must be a duration such as 500ms, 2s, 10m or 1h, was 'soon'",
                assertThrows(IllegalStateException.class, () -> Durations.parse("k", "soon")).getMessage());
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
    void a_blank_setting_is_no_setting_and_its_default_holds() {
        Settings s = settings(java.util.Map.of("blank", "   ", "name", " erp-1 "));
        assertEquals(java.util.Optional.empty(), s.find("blank"));
        assertEquals(java.util.Optional.of("erp-1"), s.find("name"), "trimmed");
        assertEquals("fallback", s.text("blank", "fallback"));
        assertEquals("erp-1", s.text("name", "fallback"));
        assertEquals("missing setting blank", assertThrows(IllegalStateException.class, () -> s.required("blank")).getMessage());
        assertEquals("erp-1", s.required("name"));
    }

    @Test
    void whole_numbers_flags_and_durations_read_with_their_defaults() {
        Settings s = settings(java.util.Map.of("n", "42", "bad", "4x", "on", "true", "off", "false", "d", "5m", "ds", "2s, 5s,,10s"));
        assertEquals(42, s.integer("n", 7));
        assertEquals(7, s.integer("missing", 7));
        assertEquals("setting bad must be a whole number, was '4x'", assertThrows(IllegalStateException.class, () -> s.integer("bad", 0)).getMessage());
        assertTrue(s.flag("on", false));
        assertFalse(s.flag("off", true));
        assertTrue(s.flag("missing", true));
        assertFalse(s.flag("missing", false));
        assertEquals(Duration.ofMinutes(5), s.duration("d", Duration.ZERO));
        assertEquals(Duration.ofSeconds(9), s.duration("missing", Duration.ofSeconds(9)));
        assertEquals(java.util.List.of(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)), s.durations("ds", ""),
                "empty entries are skipped");
        assertEquals(java.util.List.of(Duration.ofSeconds(1)), s.durations("missing", "1s"));
        assertEquals(java.util.List.of("a", "b"), s.list("missing", " a, ,b "));
    }

    @Test
    void a_size_must_be_more_than_nothing() {
        Settings s = settings(java.util.Map.of("zero", "0KB", "minus", "-1", "huge", "9999999999GB", "bytes", "10B"));
        assertEquals(10, s.bytes("bytes", 0));
        for (String key : java.util.List.of("zero", "minus", "huge")) {
            assertThrows(IllegalStateException.class, () -> s.bytes(key, 1), key);
        }
    }
}
