package io.erpsync.ops;

import io.erpsync.config.StartupRefused;

import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Remote JMX over RMI, off unless enabled: when on, it listens only on the configured address and
 * refuses to start without a password file (the JDK's format: one "user password" per line).
 */
public final class RemoteJmx implements AutoCloseable {
    private final JMXConnectorServer server;
    private final Registry registry;

    private RemoteJmx(JMXConnectorServer server, Registry registry) {
        this.server = server;
        this.registry = registry;
    }

    public static RemoteJmx start(MBeanServer mbs, String host, int port, String passwordFile, String accessFile) throws IOException {
        if (passwordFile == null || !Files.isReadable(Path.of(passwordFile))) {
            throw new StartupRefused("management.jmx.remote.enabled=true needs management.jmx.remote.password-file, a readable file "
                    + "of 'user password' lines; got " + passwordFile);
        }
        InetAddress bind = InetAddress.getByName(host);
        RMIServerSocketFactory sockets = p -> new ServerSocket(p, 50, bind);
        Registry registry = LocateRegistry.createRegistry(port, null, sockets);
        Map<String, Object> env = new HashMap<>();
        env.put("jmx.remote.x.password.file", passwordFile);
        if (accessFile != null && !accessFile.isBlank()) {
            env.put("jmx.remote.x.access.file", accessFile);
        }
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + host + ":" + port + "/jndi/rmi://" + host + ":" + port + "/jmxrmi");
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, env, mbs);
        server.start();
        return new RemoteJmx(server, registry);
    }

    @Override
    public void close() throws IOException {
        server.stop();
        UnicastRemoteObject.unexportObject(registry, true);
    }
}
