package io.erpsync.bom;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value our own latest applied change wrote to each component field, for the merge: the value
 * the component has after our own earlier changes is our chain's, not another user's, so a later
 * change of ours requested against an older value is not parked as a conflict with it. Kept for the
 * components changed lately only (the least recently used are forgotten first), in memory: after a
 * restart the merge judges by the requester's old value alone.
 */
final class OurWrites {
    private static final int COMPONENTS = 10_000;

    private final Map<String, Map<String, Object>> written = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > COMPONENTS;
        }
    };

    private static String key(long billId, Long componentId) {
        return billId + "/" + componentId;
    }

    /** Our change sent these fields and the ERP applied them. */
    synchronized void wrote(long billId, Long componentId, Map<String, Object> fields) {
        written.computeIfAbsent(key(billId, componentId), k -> new HashMap<>()).putAll(fields);
    }

    /** The value our latest change wrote to each field of this component that one of ours wrote. */
    synchronized Map<String, Object> of(long billId, Long componentId) {
        Map<String, Object> component = written.get(key(billId, componentId));
        return component == null ? Map.of() : new HashMap<>(component);
    }
}
