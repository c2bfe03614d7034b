package io.erpsync.bom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.config.StartupRefused;
import org.junit.jupiter.api.Test;

import java.util.Map;

/** storefront.bundles: each bill's bundle, and a clear refusal naming the pair that is not one. */
class BundleSettingsTest {

    @Test
    void each_bill_maps_to_its_bundle() {
        assertEquals(Map.of(300100L, "bundle-a", 300101L, "bundle-b"), BundleSettings.bundles(" 300100:bundle-a, 300101 : bundle-b ,"));
    }

    @Test
    void nothing_maps_nothing() {
        assertEquals(Map.of(), BundleSettings.bundles(""));
    }

    @Test
    void a_pair_without_a_numeric_bill_or_a_bundle_is_refused_by_name() {
        StartupRefused e = assertThrows(StartupRefused.class, () -> BundleSettings.bundles("300100:bundle-a, abc:bundle-b"));
        assertTrue(e.getMessage().contains("'abc:bundle-b'"), e.getMessage());
        assertThrows(StartupRefused.class, () -> BundleSettings.bundles("300100:"));
        assertThrows(StartupRefused.class, () -> BundleSettings.bundles("300100"));
    }
}
