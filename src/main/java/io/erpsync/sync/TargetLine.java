package io.erpsync.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configured target's own beans (setting targets): its cycles (watermark, ledger, exception rows),
 * parking, batch push, lanes and breaker, segment batches and replays, and the route that puts its
 * requests on the wire. The routes name one bean of each kind (the first target's); each of those
 * hands a run of another target to that target's own bean, found through the run's {@link Cycle#line()}.
 */
public record TargetLine(String name, Cycles cycles, Parking parking, BatchPush push, Lanes lanes, SegmentBatches batches,
                         Replays replays, String callUri) {
    /** The ERP's call route (routes/erp-call.camel.yaml). */
    public static final String ERP_CALL = "direct:erp-call";

    /** The configured targets' lines, in the order of the setting (the first one's beans are those the routes name). */
    public record Lines(List<TargetLine> all) {
        public Lines {
            all = List.copyOf(all);
        }

        public TargetLine get(String name) {
            for (TargetLine l : all) {
                if (l.name().equals(name)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("no target '" + name + "' is configured (targets = "
                    + String.join(",", names()) + ")");
        }

        public List<String> names() {
            return all.stream().map(TargetLine::name).toList();
        }

        public Map<String, TargetLine> byName() {
            Map<String, TargetLine> out = new LinkedHashMap<>();
            all.forEach(l -> out.put(l.name(), l));
            return out;
        }
    }
}
