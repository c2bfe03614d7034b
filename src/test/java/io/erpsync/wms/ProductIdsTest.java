package io.erpsync.wms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

class ProductIdsTest {

    static Map<String, Object> row(String item, Object productId) {
        Map<String, Object> m = new HashMap<>();
        m.put("ITEM_NUMBER", item);
        m.put("ORGANIZATION_CODE", "M1");
        m.put("CATEGORY", "ELECTRICAL");
        m.put("QUANTITY", 5);
        m.put("UPDATED_AT", Timestamp.from(Instant.parse("2026-03-03T08:00:00Z")));
        m.put("PRODUCT_ID", productId);
        return m;
    }

    @Test
    void without_a_column_the_item_number_is_the_product_id() {
        ProductIds ids = new ProductIds(" ");
        assertFalse(ids.fromColumn());
        StockRows rows = StockRows.of("organization_code,category").withProductIds(ids);
        rows.read(row("ITM-1", "P-1"), 1);
        assertEquals("ITM-1", ids.of("ITM-1", "M1"));
        assertEquals("ITM-1", new ProductIds(null).of("ITM-1", "M1"));
    }

    @Test
    void each_valid_row_brings_its_items_product_id_and_an_empty_one_falls_back_to_the_item_number() {
        ProductIds ids = new ProductIds("Product_Id");
        assertTrue(ids.fromColumn());
        StockRows rows = StockRows.of("organization_code,category").withProductIds(ids);
        assertEquals("ITM-1", ids.of("ITM-1", "M1"), "before any read");
        rows.read(row("ITM-1", "P-1"), 1);
        rows.read(row("ITM-2", " "), 2);
        assertEquals("P-1", ids.of("ITM-1", "M1"));
        assertEquals("ITM-1", ids.of("ITM-1", "M2"), "by item and organization");
        assertEquals("ITM-2", ids.of("ITM-2", "M1"));
        rows.read(row("ITM-1", null), 3);
        assertEquals("ITM-1", ids.of("ITM-1", "M1"), "the newest row has none any more");
        Map<String, Object> invalid = row("ITM-3", "P-3");
        invalid.put("QUANTITY", null);
        rows.read(invalid, 4);
        assertEquals("ITM-3", ids.of("ITM-3", "M1"), "an invalid row brings nothing");
    }

    @Test
    void a_product_id_belongs_to_the_first_item_asking_for_it_until_that_item_has_another() {
        ProductIds ids = new ProductIds("product_id");
        StockRows rows = StockRows.of("organization_code,category").withProductIds(ids);
        rows.read(row("ITM-1", "P-1"), 1);
        rows.read(row("ITM-2", "P-1"), 2);
        assertNull(ids.sharedWith("ITM-1", "M1"));
        String why = ids.sharedWith("ITM-2", "M1");
        assertTrue(why != null && why.contains("P-1") && why.contains("ITM-1") && why.contains("product_id"), why);
        assertNull(ids.sharedWith("ITM-1", "M1"), "still the first one's");
        rows.read(row("ITM-1", "P-9"), 3);
        assertNull(ids.sharedWith("ITM-2", "M1"), "the first item moved on: the id is free");
        assertNull(ids.sharedWith("ITM-1", "M1"), "and its new one is its own");
        assertNull(new ProductIds(null).sharedWith("ITM-1", "M1"), "item numbers are one record each");
    }

    @Test
    void an_item_number_taken_as_product_id_is_free_once_its_item_has_a_product_id_of_its_own() {
        ProductIds ids = new ProductIds("product_id");
        StockRows rows = StockRows.of("organization_code,category").withProductIds(ids);
        rows.read(row("ITM-5", " "), 1);
        assertNull(ids.sharedWith("ITM-5", "M1"), "ITM-5 holds its item number as product id");
        rows.read(row("ITM-5", "SKU-9"), 2);
        rows.read(row("ITM-6", "ITM-5"), 3);
        assertNull(ids.sharedWith("ITM-6", "M1"), "ITM-5's newest row names SKU-9: the id is ITM-6's");
        rows.read(row("ITM-5", " "), 4);
        String why = ids.sharedWith("ITM-5", "M1");
        assertTrue(why != null && why.contains("ITM-6") && why.contains("a replay lands ITM-5"), why);
    }

    @Test
    void a_query_without_the_column_is_a_setting_error_naming_it() {
        StockRows rows = StockRows.of("organization_code,category").withProductIds(new ProductIds("sku"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rows.read(row("ITM-1", "P-1"), 1));
        assertTrue(e.getMessage().startsWith("storefront.product-id-column names sku but wms.query returns only "), e.getMessage());
    }
}
