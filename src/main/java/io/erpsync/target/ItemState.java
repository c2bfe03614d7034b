package io.erpsync.target;

import java.math.BigDecimal;

/**
 * An item as a target holds it, reduced to what the cycle reads: the target's own name for it
 * ({@code ref}: the ERP's ItemId, a storefront's list and product), the warehouse's identity, the
 * value of the one field we own (null when the target holds none or a non-number), and the version
 * a write must carry to be applied only over this state (an ETag, a {@code _resource_state}).
 */
public record ItemState(String ref, String itemNumber, String organizationCode, BigDecimal quantity, String version) {

    /** The warehouse's identity of the item (item|organization), as {@code StockLevel.key()}. */
    public String key() {
        return itemNumber + "|" + organizationCode;
    }
}
