package io.erpsync.target;

import io.erpsync.core.Texts;

/** A target answered something that does not parse or does not fit the contract. The body is kept, cut to 2 KB. */
public final class UnreadableAnswer extends RuntimeException {
    private final int status;
    private final String body;
    private final boolean readingAgainHelps;

    public UnreadableAnswer(String what, int status, String body) {
        this(what, status, body, true);
    }

    /**
     * @param readingAgainHelps false when the same request can only get the same answer (the target does
     *                          not keep its contract): the call fails for the error policy instead
     */
    public UnreadableAnswer(String what, int status, String body, boolean readingAgainHelps) {
        super(what + " (HTTP " + status + ")");
        this.status = status;
        this.body = body == null ? "" : Texts.cut(body);
        this.readingAgainHelps = readingAgainHelps;
    }

    public boolean readingAgainHelps() {
        return readingAgainHelps;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }
}
