package io.erpsync.target.storefront;

import io.erpsync.target.Target;
import io.erpsync.wms.ProductIds;

import java.util.Map;

/** The Salesforce B2C Commerce style storefront (docs/commerce-contract.md) as a target of the cycle. */
public final class Storefront {

    private Storefront() {
    }

    /**
     * @param lists   the inventory list of each warehouse organization
     * @param parents product id -> the bundle (parent product) a write to it touches
     */
    public static Target target(InventoryLists lists, Map<String, String> parents) {
        return target(lists, parents, new ProductIds(null));
    }

    /** @param productIds each item's product id (storefront.product-id-column; the item number by default) */
    public static Target target(InventoryLists lists, Map<String, String> parents, ProductIds productIds) {
        StorefrontRecords records = new StorefrontRecords(lists, productIds);
        return new Target("storefront", records, records, new StorefrontAnswers(), new StorefrontLanes(parents, true));
    }
}
