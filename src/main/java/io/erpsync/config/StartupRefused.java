package io.erpsync.config;

/** Start-up stops with a message meant for the operator, not a stack trace. */
public final class StartupRefused extends RuntimeException {
    public StartupRefused(String message) {
        super(message);
    }
}
