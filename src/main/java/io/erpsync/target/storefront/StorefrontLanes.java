package io.erpsync.target.storefront;

import io.erpsync.target.LaneKeys;
import io.erpsync.wms.StockLevel;

import java.util.Map;

/**
 * Lanes by the object a write touches (contract sections 4 and 5): a bundled product's parent product
 * (storefront.bundles maps a product to its bundle), else the record itself. One object, one lane:
 * one request in flight per parent, in order, and never two parts touching it in one batch; items stay
 * on their own lane however hot, as the hot lane would put a second request on the parent.
 */
public final class StorefrontLanes implements LaneKeys {
    private final Map<String, String> parents;
    private final boolean recordsBySegment;

    /** @param parents product id -> the bundle (parent product) a write to it touches */
    public StorefrontLanes(Map<String, String> parents) {
        this(parents, false);
    }

    /**
     * @param recordsBySegment whether a record that is no bundle's part takes its warehouse segment's
     *                         lane (and batch, 50 records to a request) rather than a lane key of its
     *                         own: a record's write touches no other object, and its write group keeps
     *                         two writes of it out of one request
     */
    public StorefrontLanes(Map<String, String> parents, boolean recordsBySegment) {
        this.parents = Map.copyOf(parents);
        this.recordsBySegment = recordsBySegment;
    }

    @Override
    public String laneKey(StockLevel level) {
        if (recordsBySegment && !parents.containsKey(level.itemNumber())) {
            return "segment:" + level.segment();
        }
        return writeGroup(level);
    }

    @Override
    public String writeGroup(StockLevel level) {
        String parent = parents.get(level.itemNumber());
        return parent != null ? "product:" + parent : "record:" + level.key();
    }

    @Override
    public boolean hotItemsApart() {
        return false;
    }
}
