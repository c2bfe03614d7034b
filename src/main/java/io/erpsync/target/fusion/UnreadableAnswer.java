package io.erpsync.target.fusion;

import io.erpsync.core.Texts;

/** The ERP answered something that does not parse or does not fit the contract. The body is kept, cut to 2 KB. */
public final class UnreadableAnswer extends RuntimeException {
    private final int status;
    private final String body;

    public UnreadableAnswer(String what, int status, String body) {
        super(what + " (HTTP " + status + ")");
        this.status = status;
        this.body = body == null ? "" : Texts.cut(body);
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }
}
