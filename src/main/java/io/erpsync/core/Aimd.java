package io.erpsync.core;

/**
 * One AIMD step (additive increase, multiplicative decrease, as TCP sizes its window, RFC 5681),
 * shared by the ERP's request rate (conflict.AdaptiveRate) and each segment's write size
 * (sync.AdaptiveBatchSizes): trouble multiplies the value by {@code decrease}, each clean step adds
 * {@code increase}. The owner keeps the value between its floor and its ceiling.
 */
public record Aimd(double decrease, int increase) {

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
}
