package io.erpsync.target.storefront;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erpsync.target.BatchOutcome;
import io.erpsync.target.ItemState;
import io.erpsync.target.PartFailure;
import io.erpsync.target.StateReads;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;
import io.erpsync.target.VersionedWrite;
import io.erpsync.target.VersionedWrites;
import io.erpsync.wms.ProductIds;
import io.erpsync.wms.StockLevel;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inventory records (contract section 3) through batches (section 4): a read is one batch of GET
 * parts, one per item, whose content id is the item's key; a write one batch of PATCH parts carrying
 * the state read and {@code allocation.amount} only. Parts are independent: each part's outcome is
 * its own, and nothing is ever rolled back for another part's sake.
 */
public final class StorefrontRecords implements StateReads, VersionedWrites {
    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);
    private final InventoryLists lists;
    private final ProductIds productIds;

    public StorefrontRecords(InventoryLists lists) {
        this(lists, new ProductIds(null));
    }

    /** @param productIds each item's product id (the item number unless storefront.product-id-column) */
    public StorefrontRecords(InventoryLists lists, ProductIds productIds) {
        this.lists = lists;
        this.productIds = productIds;
    }

    /** The record's path under the data root; null when the organization has no list. */
    private String path(String itemNumber, String organization) {
        String list = lists.byOrganization().get(organization);
        return list == null ? null : InventoryLists.path(list, productIds.of(itemNumber, organization));
    }

    @Override
    public String refusal(StockLevel item) {
        return productIds.sharedWith(item.itemNumber(), item.organizationCode());
    }

    @Override
    public int maxItems() {
        return StorefrontBatch.MAX_PARTS;
    }

    @Override
    public TargetRequest request(Collection<StockLevel> items) {
        List<StorefrontBatch.Sent> parts = new ArrayList<>();
        Set<String> asked = new LinkedHashSet<>();
        for (StockLevel level : items) {
            String path = path(level.itemNumber(), level.organizationCode());
            // an organization without a list is not asked for: its items are not found, so parked as unknown
            if (path != null && asked.add(level.key())) {
                parts.add(new StorefrontBatch.Sent(level.key(), "GET", path, null));
            }
        }
        return StorefrontBatch.request(parts);
    }

    @Override
    public StateRead read(TargetAnswer answer) {
        Map<String, ItemState> found = new HashMap<>();
        StorefrontBatch.Answered failed = null;
        for (StorefrontBatch.Answered part : StorefrontBatch.answered(answer).values()) {
            if (part.status() == 200) {
                ItemState state = state(part, answer);
                found.put(state.key(), state);
            } else if (part.status() != 404) {
                // a part the storefront could not answer now (throttled, failing): its item may be there, read again
                failed = part;
            }
        }
        if (failed != null && found.isEmpty()) {
            // why: none found is no "not found" (section 6: come back later); the items are read again, a few times at most
            throw new UnreadableAnswer("no part of the read answered, the last one " + failed.status() + " "
                    + StorefrontFault.of(failed.body()).words(), failed.status(), failed.body());
        }
        return new StateRead(found, failed != null, false);
    }

    private ItemState state(StorefrontBatch.Answered part, TargetAnswer answer) {
        int bar = part.contentId().lastIndexOf('|');
        JsonNode record;
        try {
            record = JSON.readTree(part.body());
        } catch (Exception e) {
            record = null;
        }
        if (bar < 0 || record == null || !record.path("_resource_state").isTextual()) {
            throw new UnreadableAnswer("a record part " + part.contentId() + " without its _resource_state", answer.status(), answer.body());
        }
        String itemNumber = part.contentId().substring(0, bar);
        String organization = part.contentId().substring(bar + 1);
        JsonNode amount = record.path("allocation").path("amount");
        BigDecimal quantity = amount.isNumber() ? amount.decimalValue() : null;
        String list = lists.byOrganization().get(organization);
        if (list == null) {
            throw new UnreadableAnswer("a record part " + part.contentId() + " that was never asked for", answer.status(), answer.body());
        }
        return new ItemState(path(itemNumber, organization), itemNumber, organization, quantity, record.get("_resource_state").asText());
    }

    @Override
    public TargetRequest request(List<VersionedWrite> parts) {
        List<StorefrontBatch.Sent> sent = new ArrayList<>();
        for (VersionedWrite w : parts) {
            ObjectNode body = JSON.createObjectNode();
            body.put("_resource_state", w.version());
            body.putObject("allocation").put("amount", w.quantity().stripTrailingZeros());
            sent.add(new StorefrontBatch.Sent(w.partId(), "PATCH", w.ref(), json(body)));
        }
        return StorefrontBatch.request(sent);
    }

    /** Numbers in plain decimals (150, not 1.5E+2): the storefront's amount is a plain number. */
    private static String json(ObjectNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A write body did not serialise", e);
        }
    }

    @Override
    public BatchOutcome outcome(TargetAnswer answer, Set<String> sentPartIds) {
        if (answer.status() != 200) {
            return null;
        }
        Set<String> updated = new LinkedHashSet<>();
        Map<String, PartFailure> failed = new LinkedHashMap<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (StorefrontBatch.Answered part : StorefrontBatch.answered(answer).values()) {
            String id = part.contentId();
            if (!sentPartIds.contains(id)) {
                unknown.add(id);
                continue;
            }
            if (part.status() == 200) {
                updated.add(id);
                continue;
            }
            // a ResourceStateConflictException is a failed part of class STALE_ETAG with its 409 and words, which the
            // cycle reads again and merges with the newest warehouse value (the fault names no usable state)
            failed.put(id, StorefrontFault.of(part.body()).part(part.status()));
        }
        Set<String> unanswered = new LinkedHashSet<>(sentPartIds);
        unanswered.removeAll(updated);
        unanswered.removeAll(failed.keySet());
        return new BatchOutcome(updated, Map.of(), failed, Set.of(), unanswered, unknown);
    }
}
