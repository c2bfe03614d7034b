package io.erpsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;

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
        return TestSettings.of(values);
    }

    static org.apache.camel.spi.PropertiesComponent properties(java.util.Map<String, String> values) {
        return TestSettings.properties(values);
    }

    @Test
    void sizes_read_as_operators_write_them() {
        Settings s = settings(java.util.Map.of("a", "32MB", "b", "512 kb", "c", "65536", "d", "lots"));
        assertEquals(32L << 20, s.bytes("a"));
        assertEquals(512L << 10, s.bytes("b"));
        assertEquals(65536, s.bytes("c"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.bytes("d"));
        assertEquals("setting d must be a size such as 32MB, 512KB or 65536, was 'lots'", e.getMessage());
    }

    @Test
    void a_secret_comes_from_its_setting_or_from_the_file_its_file_setting_names(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("pw"), "s3cret\n");
        java.nio.file.Path empty = java.nio.file.Files.writeString(dir.resolve("empty"), "\n");
        assertEquals("direct", settings(java.util.Map.of("erp.password", "direct", "erp.password-file", "")).secret("erp.password"));
        assertEquals("s3cret", settings(java.util.Map.of("erp.password", "", "erp.password-file", file.toString())).secret("erp.password"),
                "the file's contents without the line break a secret mount ends with");
        assertEquals(null, settings(java.util.Map.of("erp.password", "", "erp.password-file", "")).secret("erp.password"));
        assertEquals("both erp.password and erp.password-file are set; keep one", assertThrows(StartupRefused.class,
                () -> settings(java.util.Map.of("erp.password", "x", "erp.password-file", file.toString())).secret("erp.password"))
                .getMessage());
        assertEquals("erp.password-file " + empty + " is empty", assertThrows(StartupRefused.class,
                () -> settings(java.util.Map.of("erp.password", "", "erp.password-file", empty.toString())).secret("erp.password")).getMessage());
        String missing = assertThrows(StartupRefused.class, () -> settings(java.util.Map.of("erp.password", "", "erp.password-file", dir.resolve("nope").toString()))
                .secret("erp.password")).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(missing.startsWith("erp.password-file " + dir.resolve("nope") + " cannot be read"), missing);
    }

    @Test
    void environment_names_are_upper_case_with_underscores() {
        assertEquals("ERP_BASE_URL", RequiredSettings.envName("erp.base-url"));
        assertEquals("WMS_DATASOURCE_URL", RequiredSettings.envName("wms.datasource.url"));
    }

    @Test
    void a_blank_setting_is_an_optional_one_left_unset() {
        Settings s = settings(java.util.Map.of("blank", "   ", "name", " erp-1 "));
        assertEquals(java.util.Optional.empty(), s.find("blank"));
        assertEquals(java.util.Optional.empty(), s.optional("blank"));
        assertEquals(java.util.Optional.of("erp-1"), s.optional("name"), "trimmed");
        assertEquals("erp-1", s.text("name"));
        assertEquals("erp-sync cannot start: setting blank is empty", assertThrows(StartupRefused.class, () -> s.text("blank")).getMessage());
        assertEquals("missing setting blank", assertThrows(IllegalStateException.class, () -> s.required("blank")).getMessage());
        assertEquals(java.util.List.of(), s.list("blank"));
    }

    @Test
    void a_key_no_source_defines_stops_the_start_naming_it() {
        Settings s = settings(java.util.Map.of());
        for (java.util.function.Function<String, Object> read : java.util.List.<java.util.function.Function<String, Object>>of(s::text,
                s::integer, s::flag, s::duration, s::durations, s::list, s::bytes, s::decimal, s::optional)) {
            StartupRefused e = assertThrows(StartupRefused.class, () -> read.apply("sync.lanes"));
            assertEquals("erp-sync cannot start: setting sync.lanes is not defined; its default belongs in application.properties "
                    + "(was the file replaced by one without it?)", e.getMessage());
        }
        assertEquals(java.util.Optional.empty(), s.find("sync.lanes"), "find only asks whether a value is given");
    }

    @Test
    void whole_numbers_flags_numbers_and_durations_read_as_written() {
        Settings s = settings(java.util.Map.of("n", "42", "bad", "4x", "on", "true", "off", "false", "d", "5m", "ds", "2s, 5s,,10s",
                "rate", "0.05", "l", " a, ,b "));
        assertEquals(42, s.integer("n"));
        assertEquals("setting bad must be a whole number, was '4x'", assertThrows(IllegalStateException.class, () -> s.integer("bad")).getMessage());
        assertEquals("setting bad must be a number such as 0.05, was '4x'", assertThrows(IllegalStateException.class, () -> s.decimal("bad"))
                .getMessage());
        assertEquals(0.05, s.decimal("rate"));
        assertTrue(s.flag("on"));
        assertFalse(s.flag("off"));
        assertTrue(settings(java.util.Map.of("f", "TRUE")).flag("f"));
        assertEquals("setting n must be true or false, was '42'", assertThrows(IllegalStateException.class, () -> s.flag("n")).getMessage(),
                "a flag that is neither is an error, not false");
        assertEquals(Duration.ofMinutes(5), s.duration("d"));
        assertEquals(java.util.List.of(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)), s.durations("ds"),
                "empty entries are skipped");
        assertEquals(java.util.List.of("a", "b"), s.list("l"));
    }

    @Test
    void a_size_must_be_more_than_nothing() {
        Settings s = settings(java.util.Map.of("zero", "0KB", "minus", "-1", "huge", "9999999999GB", "bytes", "10B"));
        assertEquals(10, s.bytes("bytes"));
        for (String key : java.util.List.of("zero", "minus", "huge")) {
            assertThrows(IllegalStateException.class, () -> s.bytes(key), key);
        }
    }

    @Test
    void an_old_name_still_set_is_read_as_its_new_name_with_one_warning() {
        org.apache.camel.CamelContext ctx = new org.apache.camel.impl.DefaultCamelContext();
        java.util.Properties p = new java.util.Properties();
        p.putAll(java.util.Map.of("sync.retry.max-retries", "5", "sync.retry.max-attempts", "7", "sync.batch.completion-interval", "5s",
                "bom.retry.stale-attempts", "5"));
        ctx.getPropertiesComponent().setInitialProperties(p);
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RenamedSettings.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            RenamedSettings.apply(ctx.getPropertiesComponent());
        } finally {
            log.detachAppender(seen);
        }
        Settings s = new Settings(ctx.getPropertiesComponent());
        assertEquals(7, s.integer("sync.retry.max-retries"), "the old name wins: the operator set it");
        assertEquals("7", ctx.resolvePropertyPlaceholders("{{sync.retry.max-retries}}"), "routes' placeholders see it too");
        assertEquals(Duration.ofSeconds(5), s.duration("sync.batch.completion-interval"), "not set under its old name: untouched");
        assertEquals(1, seen.list.size());
        assertEquals("setting sync.retry.max-attempts is now called sync.retry.max-retries: its value 7 is read as sync.retry.max-retries "
                + "(rename it; the old name will go)", seen.list.get(0).getFormattedMessage());
    }

    @Test
    void an_old_completion_timeout_in_milliseconds_reads_as_the_same_interval() {
        org.apache.camel.spi.PropertiesComponent p = properties(java.util.Map.of("sync.batch.completion-interval", "5s",
                "sync.batch.completion-timeout", "1500"));
        RenamedSettings.apply(p);
        Settings s = new Settings(p);
        assertEquals(Duration.ofMillis(1500), s.duration("sync.batch.completion-interval"));
    }
}
