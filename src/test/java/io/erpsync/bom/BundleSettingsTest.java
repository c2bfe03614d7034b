package io.erpsync.bom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.config.TestSettings;
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

    static Settings settings(Map<String, String> values) {
        return TestSettings.of(values);
    }

    @Test
    void on_only_with_the_storefront_among_the_targets_and_the_switch_on() {
        BundleSettings on = BundleSettings.from(settings(Map.of("targets", "erp, storefront", "storefront.bundles.enabled", "true",
                "storefront.bundles", "300100:bundle-a", "storefront.bundles.by-item-number", "false")));
        assertEquals(new BundleSettings(true, Map.of(300100L, "bundle-a"), false), on);
        assertEquals(new BundleSettings(false, Map.of(), false), BundleSettings.from(settings(Map.of("targets", "erp",
                "storefront.bundles.enabled", "true", "storefront.bundles", "300100:bundle-a", "storefront.bundles.by-item-number", "true"))));
        assertEquals(new BundleSettings(false, Map.of(), false), BundleSettings.from(settings(Map.of("targets", "erp,storefront",
                "storefront.bundles.enabled", "false", "storefront.bundles", "300100:bundle-a", "storefront.bundles.by-item-number", "true"))));
    }

    @Test
    void on_by_item_number_alone_and_refused_with_no_way_to_a_bundle() {
        assertEquals(new BundleSettings(true, Map.of(), true), BundleSettings.from(settings(Map.of("targets", "erp,storefront",
                "storefront.bundles.enabled", "true", "storefront.bundles", "", "storefront.bundles.by-item-number", "true"))));
        StartupRefused e = assertThrows(StartupRefused.class, () -> BundleSettings.from(settings(Map.of("targets", "erp,storefront",
                "storefront.bundles.enabled", "true", "storefront.bundles", "", "storefront.bundles.by-item-number", "false"))));
        assertTrue(e.getMessage().startsWith("storefront.bundles.enabled is true, but storefront.bundles maps no bill"), e.getMessage());
    }
}
