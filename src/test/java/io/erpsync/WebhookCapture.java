package io.erpsync;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An alert webhook on loopback that keeps the body of every POST it receives (answering 204). */
public final class WebhookCapture implements AutoCloseable {
    private final HttpServer server;
    private final List<String> posts = new CopyOnWriteArrayList<>();

    public WebhookCapture() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/alert", ex -> {
            posts.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    /** The URL to set as sync.alert.webhook-url. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alert";
    }

    /** The bodies received so far, oldest first. */
    public List<String> posts() {
        return posts;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
