package io.erpsync.config;

import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{millis:sync.retry.initial-delay}}}: a duration setting (2s, 500ms, 1m) as milliseconds, for
 * the route options that take a plain number (a redelivery policy's delays). Operators keep writing
 * durations; the routes name the setting they use.
 */
public final class MillisFunction implements PropertiesFunction {

    @Override
    public String getName() {
        return "millis";
    }

    /** The setting is looked up first; this turns its value into milliseconds. */
    @Override
    public boolean lookupFirst(String remainder) {
        return true;
    }

    @Override
    public String apply(String value) {
        return String.valueOf(Durations.parse("duration", value).toMillis());
    }
}
