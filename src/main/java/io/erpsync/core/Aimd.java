package io.erpsync.core;

/**
 * One AIMD step (additive increase, multiplicative decrease, as TCP sizes its window, RFC 5681),
 * shared by the ERP's request rate (conflict.AdaptiveRate) and each segment's write size
 * (sync.AdaptiveBatchSizes): trouble multiplies the value by {@code decrease}, each clean step adds
 * {@code increase}. The owner keeps the value between its floor and its ceiling.
 *
 * <p>Recovery ({@link #up}, {@link #down}, with a {@link Level}) adds TCP's slow start: trouble after a
 * clean spell ({@link #SPELL} clean steps) remembers the value in force before it as the last good one;
 * once the lowered value has been clean for a spell it grows multiplicatively (divided by the decrease)
 * back towards that value, one jump per spell, and additively above it. A jump that meets trouble within
 * its spell forgets the good value (it was not good any more) and halves again, so under lasting
 * trouble the rule is plain AIMD; once forgotten, a long clean spell ({@link #LONG_SPELL} steps) makes the
 * ceiling the value to recover to. The value never goes above the ceiling.
 */
public record Aimd(double decrease, int increase) {
    /** Clean steps in a row before a lowered value grows multiplicatively (and a jump counts as clean). */
    public static final int SPELL = 2;
    /** Clean steps in a row after which the ceiling is taken as the good value again. */
    public static final int LONG_SPELL = 4 * SPELL;

    /**
     * Where a value stands: the value, the good value to recover to (0: none known), clean steps since
     * the last decrease or jump, and whether the last change was a jump still within its spell.
     */
    public record Level(int value, int good, int clean, boolean probing) {
        /** A value that starts clean, as the good one (growth above it is additive). */
        public static Level at(int value) {
            return new Level(value, value, LONG_SPELL, false);
        }
    }

    /** @param prefix the settings' common prefix ({@code erp.rate}), named when a value is refused */
    public static Aimd of(String prefix, double decrease, int increase) {
        if (!(decrease > 0 && decrease < 1)) {
            throw new IllegalStateException(prefix + ".decrease must be above 0 and below 1, was " + decrease);
        }
        if (increase < 1) {
            throw new IllegalStateException(prefix + ".increase must be at least 1, was " + increase);
        }
        return new Aimd(decrease, increase);
    }

    /** After trouble: the value multiplied by the decrease, rounded down (the owner lifts it to its floor). */
    public int decreased(int current) {
        return (int) Math.floor(current * decrease);
    }

    /** After {@code steps} clean steps: the value plus that many increases (the owner caps it at its ceiling). */
    public long increased(int current, long steps) {
        return current + steps * increase;
    }

    /** After trouble, with slow start's memory: the value decreased (at least {@code floor}). */
    public Level down(Level l, int floor) {
        int good = l.probing() ? 0 : l.clean() >= SPELL ? Math.max(l.good(), l.value()) : l.good();
        return new Level(Math.max(floor, decreased(l.value())), good, 0, false);
    }

    /** After {@code steps} clean steps, with slow start: the value grown, at most {@code ceiling}. */
    public Level up(Level l, long steps, int ceiling) {
        int value = Math.min(l.value(), ceiling);
        int good = Math.min(l.good(), ceiling);
        int clean = l.clean();
        boolean probing = l.probing();
        for (long i = 0; i < steps; i++) {
            clean = clean >= LONG_SPELL ? clean : clean + 1;
            if (probing && clean >= SPELL) {
                probing = false;
            }
            if (!probing && clean >= LONG_SPELL && good == 0) {
                good = ceiling;
            }
            if (value >= ceiling) {
                if (clean >= LONG_SPELL) {
                    break;
                }
                continue;
            }
            if (good > value && clean >= SPELL) {
                value = (int) Math.min(good, Math.max(value + 1L, (long) Math.ceil(value / decrease)));
                clean = 0;
                probing = true;
            } else {
                value = (int) Math.min(ceiling, (long) value + increase);
            }
        }
        return new Level(value, good, clean, probing);
    }
}
