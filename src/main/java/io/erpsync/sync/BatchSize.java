package io.erpsync.sync;

/** Batch sizes the ERP accepts: the batch endpoint refuses more than 500 parts (contract 3, 413). */
public final class BatchSize {
    public static final int MAX = 500;

    private BatchSize() {
    }

    public static int checked(int size) {
        if (size < 1 || size > MAX) {
            throw new IllegalArgumentException("sync.batch-size must be between 1 and " + MAX + ", was " + size);
        }
        return size;
    }
}
