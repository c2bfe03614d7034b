package io.erpsync.target;

import io.erpsync.wms.StockLevel;

/**
 * Which items must go one after another. Items of one lane key share a lane for the whole run, so
 * they go in order and never two lanes at once (the ERP: the warehouse segment). Items of one write
 * group never share a write request: a target whose writes to one object (a bundle's parent product)
 * fail each other when they run together gets them in consecutive requests instead.
 */
public interface LaneKeys {

    String laneKey(StockLevel level);

    /** The object a write of this item touches; two parts with the same group never go in one request. */
    String writeGroup(StockLevel level);

    /**
     * Whether items that met conflicts lately go to the hot lane, beside the lanes of their lane keys
     * (the ERP: yes, a locked row holds up no other item). A target whose writes must follow one
     * another per lane key keeps them on their own lane instead.
     */
    boolean hotItemsApart();
}
