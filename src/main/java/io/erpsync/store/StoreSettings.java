package io.erpsync.store;

import io.erpsync.config.Settings;

import java.time.Duration;

/** The runtime's own tables, the WMS connection and the run lease (application.properties: Store, WMS source). */
public record StoreSettings(Connection store, Connection wms, Duration leaseTtl, boolean cluster, boolean scheduleEnabled,
                            Duration clusterCheckin) {

    /** One JDBC connection's settings; the password already read from the setting or its -file. */
    public record Connection(String url, String username, String password) {
        static Connection from(Settings s, String prefix) {
            return new Connection(s.required(prefix + ".url"), s.optional(prefix + ".username").orElse(null), s.secret(prefix + ".password"));
        }
    }

    public static StoreSettings from(Settings s) {
        return new StoreSettings(Connection.from(s, "store.datasource"), Connection.from(s, "wms.datasource"), s.duration("sync.lease.ttl"),
                s.flag("cluster.enabled"), s.flag("sync.schedule.enabled"), s.duration("cluster.checkin-interval"));
    }

    /** This process takes part in a cluster's schedule (a --once beside it does not). */
    public boolean clusterNode() {
        return cluster && scheduleEnabled;
    }
}
