package io.erpsync.target.storefront;

import io.erpsync.wms.StockLevel;

import java.util.Map;

/**
 * Which inventory list holds a warehouse organization's stock (storefront.inventory-lists =
 * M1:inventory_m1, ...), and the product id of an item (its item number). An organization without a
 * list is not read, so its items are unknown to the storefront.
 */
public record InventoryLists(Map<String, String> byOrganization) {

    public InventoryLists {
        byOrganization = Map.copyOf(byOrganization);
    }

    /** The record's path under the data root; null when the organization has no list. */
    String path(StockLevel level) {
        String list = byOrganization.get(level.organizationCode());
        return list == null ? null : path(list, level.itemNumber());
    }

    static String path(String listId, String productId) {
        return "/inventory_lists/" + PathSegment.of(listId) + "/product_inventory_records/" + PathSegment.of(productId);
    }
}
