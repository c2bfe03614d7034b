package io.erpsync.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllowedOriginsTest {
    final AllowedOrigins hawtio = AllowedOrigins.parse("http://localhost:8080, https://*.example.com");

    @Test
    void hawtios_origin_and_its_pages_as_referer_pass() {
        assertTrue(hawtio.allows("http://localhost:8080", null));
        assertTrue(hawtio.allows("HTTP://LOCALHOST:8080", null));
        assertTrue(hawtio.allows(null, "http://localhost:8080/hawtio/camel/routes?nid=x"));
        assertTrue(hawtio.allows("https://ops.example.com", null));
    }

    @Test
    void another_site_a_sandboxed_page_and_a_near_miss_are_refused() {
        assertFalse(hawtio.allows("http://evil.example", null));
        assertFalse(hawtio.allows("null", null), "a sandboxed iframe sends Origin: null");
        assertFalse(hawtio.allows("http://localhost:8081", null));
        assertFalse(hawtio.allows("http://localhost:8080.evil.example", null));
        assertFalse(hawtio.allows(null, "http://evil.example/page.html"));
        assertFalse(hawtio.allows(null, "not a url"));
        assertFalse(hawtio.allows("http://evil.example", "http://localhost:8080/hawtio/"), "the Origin decides when both are sent");
    }

    @Test
    void a_request_without_origin_or_referer_is_no_cross_site_browser_request() {
        assertTrue(hawtio.allows(null, null));
        assertTrue(AllowedOrigins.parse("").allows(null, null));
        assertFalse(AllowedOrigins.parse("").allows("http://localhost:8080", null), "no origin allowed: every page refused");
    }

    @Test
    void camels_authentication_path_covers_a_page_only_when_it_is_a_prefix_of_it() {
        assertTrue(ManagementRoles.covers("/*", "/status"));
        assertTrue(ManagementRoles.covers("/status/*", "/status"));
        assertTrue(ManagementRoles.covers("/observe/*", "/observe/jolokia"));
        assertFalse(ManagementRoles.covers("/status/*", "/observe/jolokia"));
        assertFalse(ManagementRoles.covers("/observe/jolokia/*", "/status"));
        assertFalse(ManagementRoles.covers("/status", "/status"), "a path without * is that page alone, not what is under it");
    }
}
