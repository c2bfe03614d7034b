package io.erpsync;

import org.apache.camel.support.service.ServiceSupport;

import java.util.ArrayList;
import java.util.List;

/** Closes what the configurations opened (pools, threads, the embedded sandbox) when Camel stops, the last opened first. */
final class Resources extends ServiceSupport {
    private final List<AutoCloseable> open = new ArrayList<>();

    synchronized <T extends AutoCloseable> T add(T resource) {
        open.add(resource);
        return resource;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }
}
