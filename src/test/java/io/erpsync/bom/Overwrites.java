package io.erpsync.bom;

import java.util.List;
import java.util.function.Predicate;

/** Whether our writes overwrote another writer's edit, for BomBench (the ERP's history) and MerchantOnBundles (the storefront's). */
final class Overwrites {
    private Overwrites() {
    }

    /**
     * Their edit overwritten: their value is gone ({@code kept} false), or in the history (oldest first) one of our writes
     * to that field ({@code ours}) came after their last write of it ({@code theirs}).
     */
    static <H> boolean overwritten(boolean kept, List<H> history, Predicate<H> theirs, Predicate<H> ours) {
        int theirsAt = -1;
        int oursAfter = -1;
        for (int i = 0; i < history.size(); i++) {
            H h = history.get(i);
            if (theirs.test(h)) {
                theirsAt = i;
            } else if (theirsAt >= 0 && ours.test(h)) {
                oursAfter = i;
            }
        }
        return !kept || oursAfter > theirsAt;
    }
}
