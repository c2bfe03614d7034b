package io.erpsync.target.fusion;

import io.erpsync.target.BatchOutcome;
import io.erpsync.target.ItemState;
import io.erpsync.target.StateReads;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;
import io.erpsync.target.VersionedWrite;
import io.erpsync.target.VersionedWrites;
import io.erpsync.wms.StockLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ERP's items: one collection read with {@code q} for up to 500 (contract 2.1), one batch of
 * update parts with {@code ifMatch} (contract 3), whose all-or-nothing answer names the failed parts
 * and rolls back the others.
 */
public final class FusionItems implements StateReads, VersionedWrites {
    private static final Logger LOG = LoggerFactory.getLogger(FusionItems.class);

    /** Reads ask for our fields only, until an ERP answers such a read without ETags; then whole items. */
    private final AtomicBoolean narrowReads = new AtomicBoolean(true);

    @Override
    public int maxItems() {
        return RestQuery.LIMIT;
    }

    @Override
    public TargetRequest request(Collection<StockLevel> items) {
        Set<String> orgs = new TreeSet<>();
        Set<String> numbers = new LinkedHashSet<>();
        for (StockLevel level : items) {
            orgs.add(level.organizationCode());
            numbers.add(level.itemNumber());
        }
        return RestQuery.items(orgs, numbers, narrowReads.get());
    }

    @Override
    public StateRead read(TargetAnswer answer) {
        ErpJson.Page page = ErpJson.items(answer);
        if (!page.withoutEtag().isEmpty()) {
            if (!narrowReads.getAndSet(false)) {
                throw new UnreadableAnswer("items without their ETag (changeIndicator) " + page.withoutEtag(), answer.status(),
                        answer.body(), false);
            }
            LOG.warn("The ERP leaves the ETag out of a read that names its fields (fields=); reads ask for whole items from now on");
            return StateRead.readAgain();
        }
        Map<String, ItemState> found = new HashMap<>();
        for (ItemState s : page.items()) {
            found.put(s.key(), s);
        }
        return new StateRead(found, page.hasMore(), false);
    }

    @Override
    public TargetRequest request(List<VersionedWrite> parts) {
        return FusionRequests.batch(ErpJson.batchBody(parts));
    }

    @Override
    public BatchOutcome outcome(TargetAnswer answer, Set<String> sentPartIds) {
        return ErpJson.batchOutcome(answer, sentPartIds);
    }

}
