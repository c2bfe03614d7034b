package io.erpsync.target.fusion;

import io.erpsync.target.LaneKeys;
import io.erpsync.wms.StockLevel;

/**
 * The ERP's lanes follow the warehouse's segments (a segment's batches go in order); its batch
 * writes items one by one in order and no two parts touch one row, so an item is its own write group.
 */
public final class FusionLanes implements LaneKeys {

    @Override
    public String laneKey(StockLevel level) {
        return level.segment();
    }

    @Override
    public String writeGroup(StockLevel level) {
        return level.key();
    }

    @Override
    public boolean hotItemsApart() {
        return true;
    }
}
