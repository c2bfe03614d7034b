package io.erpsync.target;

import io.erpsync.wms.StockLevel;

import java.util.Collection;
import java.util.Map;

/** Reads the current state of up to {@link #maxItems()} items in one request: the pre-check before a write. */
public interface StateReads {

    /** The most items one read asks for (sync.read-size may not exceed it). */
    int maxItems();

    /**
     * Why this item cannot go to the target as it stands, before anything is asked (it is parked as an
     * invalid row with these words); null when it can, as for every item unless the target says otherwise.
     */
    default String refusal(StockLevel item) {
        return null;
    }

    /** One request for the current state of these items (no more than maxItems). */
    TargetRequest request(Collection<StockLevel> items);

    /**
     * The answer, as the state of each item found, by {@link ItemState#key()}. Throws
     * {@link UnreadableAnswer} when the answer cannot be used.
     */
    StateRead read(TargetAnswer answer);

    /**
     * @param found    the items the target holds, by key; an item asked for and not found is unknown to the target
     * @param cutShort the answer is a first page only: items not found may still be there (read again)
     * @param again    nothing of this answer is used: the same items are asked for again (the target
     *                 answered in a form the next request avoids)
     */
    record StateRead(Map<String, ItemState> found, boolean cutShort, boolean again) {

        public static StateRead readAgain() {
            return new StateRead(Map.of(), false, true);
        }
    }
}
