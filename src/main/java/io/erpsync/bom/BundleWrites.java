package io.erpsync.bom;

import io.erpsync.core.FailureClass;
import io.erpsync.core.Texts;
import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetFailure;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.storefront.AccessTokens;
import io.erpsync.target.storefront.BundledProducts;
import io.erpsync.target.storefront.StorefrontAnswers;
import org.apache.camel.CamelExecutionException;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A BOM change's quantity to the bundle its bill maps to (storefront.bundles), after the ERP has it:
 * GET the bundled product with its {@code _resource_state}, the same three-way merge as on the ERP
 * ({@link BomMerge}, the quantity only), PATCH the quantity with that state. A stale state
 * (ResourceStateConflictException) reads and merges again, up to bom.retry.stale-attempts; a
 * merchant's own value is a true conflict, parked, never overwritten. A busy parent
 * (ConcurrentModificationException from another holder) and a throttled call or the storefront down
 * come back as {@link Again}: the change then waits off its lane for a lock or back-off round
 * ({@link BundleRounds}) and writes its bundle again when it is back. Every request touching a parent
 * product holds that parent's lock (fair: in request order), so one parent has one request of ours in
 * flight at a time and different parents go in parallel; a bill is its bundle's only writer when the
 * mapping is one to one, and its queue ({@link BillQueues}) already orders its changes.
 */
public final class BundleWrites {
    private static final int REMEMBERED = 10_000;
    private static final StorefrontAnswers ANSWERS = new StorefrontAnswers();

    /** Why a write did not land: {@link Parked} for good, or {@link Again} later; null from {@link #write}: the bundle has it. */
    public sealed interface Result permits Parked, Again {
    }

    /** Why the bundle does not have the change: the exception row's class, reason, status, words and holder. */
    public record Parked(FailureClass failureClass, String reason, Integer status, String message, String holder) implements Result {
    }

    /**
     * The storefront put the write off: the parent busy (RECORD_LOCKED, its holder), or the call throttled
     * or failed (THROTTLED, SERVER_ERROR; its Retry-After). {@code what} names the bundled product.
     */
    public record Again(FailureClass failureClass, Integer status, String words, String holder, String retryAfter, String what)
            implements Result {
    }

    private final Map<Long, String> bundles;
    // storefront.bundles.by-item-number: an unmapped bill's item number (read once from the ERP) names its bundle; null: off
    private final Function<Long, String> billItemNumber;
    private final Map<Long, String> itemNumbers = new ConcurrentHashMap<>();
    /** Bills whose item number is no storefront product: no bundles, until a restart. */
    private final Set<Long> noBundle = ConcurrentHashMap.newKeySet();
    private final Function<TargetRequest, TargetAnswer> storefront;
    private final int maxStale;
    private final Map<String, ReentrantLock> parents = new ConcurrentHashMap<>();
    /** The quantity our own latest write left on each bundled product (our chain is not a merchant's value). */
    private final Map<String, BigDecimal> ours = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BigDecimal> eldest) {
            return size() > REMEMBERED;
        }
    };

    public BundleWrites(Map<Long, String> bundles, Function<TargetRequest, TargetAnswer> storefront, int maxStale) {
        this(bundles, null, storefront, maxStale);
    }

    public BundleWrites(Map<Long, String> bundles, Function<Long, String> billItemNumber, Function<TargetRequest, TargetAnswer> storefront,
                        int maxStale) {
        this.bundles = Map.copyOf(bundles);
        this.billItemNumber = billItemNumber;
        this.storefront = storefront;
        this.maxStale = Math.max(1, maxStale);
    }

    /** Whether the bill may be a bundle: mapped, or any bill when its item number names its bundle. */
    public boolean follows(long billId) {
        return bundles.containsKey(billId) || (billItemNumber != null && !noBundle.contains(billId));
    }

    /**
     * The change's quantity on the bundled product {@code component} of its bill's bundle: null when
     * the bundle has it now (or the bill is no bundle, or the change owns no quantity); else why not,
     * for good or for now. It never waits: a busy parent or a throttled call comes back as {@link Again}.
     */
    public Result write(BomChange change, String component) {
        BomChange.Field quantity = change.fields().get("Quantity");
        if (quantity == null || !follows(change.billId())) {
            return null;
        }
        String bundle = bundles.get(change.billId());
        boolean byItemNumber = bundle == null;
        if (byItemNumber) {
            try {
                bundle = itemNumbers.computeIfAbsent(change.billId(), billItemNumber);
            } catch (RuntimeException e) {
                return new Parked(FailureClass.SERVER_ERROR, "The item number of bill " + change.billId() + " (its bundle's product id) "
                        + "could not be read from the ERP: " + Texts.cut(String.valueOf(e.getMessage())), null, null, null);
            }
        }
        if (component == null || component.isBlank()) {
            return new Parked(FailureClass.REJECTED, "Bill " + change.billId() + " is bundle " + bundle
                    + ", but the component has no item number to name its bundled product", null, null, null);
        }
        BomChange only = new BomChange(change.changeId(), change.billId(), change.componentId(), component, Map.of("Quantity", quantity),
                change.requestedBy(), change.requestedAt(), change.rowNumber());
        ReentrantLock parent = parents.computeIfAbsent(bundle, b -> new ReentrantLock(true));
        String what = "Storefront bundle " + bundle + ", bundled product " + component;
        parent.lock();
        try {
            return writeHoldingParent(only, bundle, component, byItemNumber, what);
        } catch (RuntimeException e) {
            // the call failed (429, 503, 5xx, no answer, an unreadable answer): what it means is the storefront's to say
            Throwable cause = e instanceof CamelExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof AccessTokens.ClientRefused refused) {
                // wrong credentials: no round can help; the ERP has the change, a replay after the fix writes the bundle
                return new Parked(FailureClass.REJECTED, what + ": " + refused.getMessage(), 401, refused.getMessage(), null);
            }
            TargetFailure f = TargetFailure.of(cause, ANSWERS);
            if (f.failureClass() == FailureClass.THROTTLED || f.failureClass() == FailureClass.SERVER_ERROR) {
                return new Again(f.failureClass(), f.statusOrNull(), Texts.cut(String.valueOf(f.message())), null, f.retryAfter(), what);
            }
            return new Parked(f.failureClass(), what + ": " + Texts.cut(String.valueOf(f.message())), f.statusOrNull(),
                    Texts.cut(String.valueOf(f.message())), f.holder());
        } finally {
            parent.unlock();
        }
    }

    private Result writeHoldingParent(BomChange change, String bundle, String component, boolean byItemNumber, String what) {
        String key = bundle + "/" + component;
        int stale = 0;
        while (true) {
            TargetAnswer read = storefront.apply(BundledProducts.read(bundle, component));
            if (read.status() < 200 || read.status() >= 300) {
                BundledProducts.Refusal r = BundledProducts.refusal(read);
                if (byItemNumber && r.status() == 404 && r.words().startsWith(BundledProducts.NO_PRODUCT)) {
                    // the bill's item number is no product on the storefront: the bill is no bundle
                    noBundle.add(change.billId());
                    return null;
                }
                return parked(what, r);
            }
            BundledProducts.Current current = BundledProducts.current(read);
            Map<String, Object> mine = new HashMap<>();
            synchronized (ours) {
                if (ours.containsKey(key)) {
                    mine.put("Quantity", ours.get(key));
                }
            }
            BomMerge.Decision d = BomMerge.merge(change, Map.of("Quantity", current.quantity()), mine);
            if (d.conflicted()) {
                return new Parked(FailureClass.CONFLICT, what + ": a merchant changed the quantity; not overwritten: " + d.conflicts(), 200,
                        null, null);
            }
            if (d.alreadyApplied()) {
                return null;
            }
            BigDecimal wanted = BomRows.decimal(d.send().get("Quantity"));
            TargetAnswer written = storefront.apply(BundledProducts.write(bundle, component, wanted, current.state()));
            if (written.status() >= 200 && written.status() < 300) {
                synchronized (ours) {
                    ours.put(key, wanted);
                }
                return null;
            }
            BundledProducts.Refusal r = BundledProducts.refusal(written);
            if (r.failureClass() == FailureClass.STALE_ETAG) {
                if (++stale < maxStale) {
                    continue;
                }
                return new Parked(FailureClass.STALE_ETAG, what + " kept changing: " + maxStale + " read-and-merge rounds all met a newer "
                        + "state (" + r.words() + ")", r.status(), r.words(), null);
            }
            if (r.failureClass() == FailureClass.RECORD_LOCKED) {
                // busy with another holder: the change waits off its lane, the parent is not ours meanwhile
                return new Again(r.failureClass(), r.status(), r.words(), r.holder(), written.retryAfter(), what);
            }
            return parked(what, r);
        }
    }

    private static Parked parked(String what, BundledProducts.Refusal r) {
        return new Parked(r.failureClass(), what + ": " + r.words(), r.status(), r.words(), r.holder());
    }
}
