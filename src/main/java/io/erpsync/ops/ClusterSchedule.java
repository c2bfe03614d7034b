package io.erpsync.ops;

import io.erpsync.config.StartupRefused;
import io.erpsync.store.Datasources;
import io.erpsync.store.StoreSettings;

import java.time.Duration;
import java.util.Properties;

/**
 * Cluster mode (cluster.enabled, README: Cluster mode): Quartz's clustered JDBC JobStore in the
 * store's PostgreSQL database, where Flyway made its tables. Every node names the same scheduler, so
 * each fire of a trigger goes to one node (Quartz decides by a row lock), a fire whose node died is
 * run again by another (recoverable jobs), and pause and resume act on the shared triggers.
 */
public final class ClusterSchedule {
    private ClusterSchedule() {
    }

    /**
     * The Quartz properties of a clustered node named {@code instanceId} (unique in the cluster), or
     * refusal when the store is not PostgreSQL.
     */
    public static Properties quartz(StoreSettings settings, String instanceId) {
        String url = settings.store().url();
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new StartupRefused("cluster.enabled=true needs the store on PostgreSQL (store.datasource.url=jdbc:postgresql://...), "
                    + "shared by every node; it is " + Datasources.redacted(url));
        }
        Duration checkin = settings.clusterCheckin();
        Properties p = new Properties();
        // the same name on every node (camel-quartz appends the context name, erp-sync on every node)
        p.setProperty("org.quartz.scheduler.instanceName", "erp-sync");
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.threadPool.threadCount", "3");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkin.toMillis()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        p.setProperty("org.quartz.jobStore.dataSource", "store");
        p.setProperty("org.quartz.dataSource.store.provider", "hikaricp");
        p.setProperty("org.quartz.dataSource.store.driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource.store.URL", url);
        String user = settings.store().username();
        p.setProperty("org.quartz.dataSource.store.user", user == null ? "" : user);
        String password = settings.store().password();
        p.setProperty("org.quartz.dataSource.store.password", password == null ? "" : password);
        p.setProperty("org.quartz.dataSource.store.maxConnections", "4");
        return p;
    }
}
