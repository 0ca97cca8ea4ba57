package io.devportal.webhook.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * Installs a Vert.x {@code invalidRequestHandler} (what answers a request Netty could not parse)
 * in the HTTP servers Quarkus started. Quarkus offers no hook for it (only for the server's
 * options), and Vert.x copies the handler into each server's connection handler when it starts
 * listening, so this sets it there, on every server sharing the port. It depends on Vert.x 4.5
 * internals; if they change, {@link #install} returns 0, a warning is logged and the edge tests
 * (HttpEdgeTest) fail, rather than the service failing to start.
 */
final class InvalidRequestHandlers {
    private static final Logger LOG = Logger.getLogger(InvalidRequestHandlers.class);

    private InvalidRequestHandlers() {
    }

    /** How many connection handlers now use {@code handler}. */
    static int install(Vertx vertx, Handler<HttpServerRequest> handler) {
        try {
            Set<Object> done = Collections.newSetFromMap(new IdentityHashMap<>());
            int count = 0;
            for (HttpServerImpl server : ((VertxInternal) vertx).sharedHttpServers().values()) {
                count += patchServer(server, handler, done);
                Object balancer = read(TCPServerBase.class, "channelBalancer", server);
                if (balancer == null) {
                    continue;
                }
                Map<?, ?> workers = (Map<?, ?>) read(balancer.getClass(), "workerMap", balancer);
                for (Object list : workers.values()) {
                    for (Object worker : (List<?>) read(list.getClass(), "list", list)) {
                        // the worker is a lambda over the server (one per Quarkus HTTP verticle)
                        for (Field f : worker.getClass().getDeclaredFields()) {
                            f.setAccessible(true);
                            if (f.get(worker) instanceof HttpServerImpl other) {
                                count += patchServer(other, handler, done);
                            }
                        }
                    }
                }
            }
            return count;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Vert.x internals not as expected: %s", e.toString());
            return 0;
        }
    }

    private static int patchServer(HttpServerImpl server, Handler<HttpServerRequest> handler, Set<Object> done)
            throws ReflectiveOperationException {
        if (!done.add(server)) {
            return 0;
        }
        server.invalidRequestHandler(handler); // for a later listen
        Object worker = read(TCPServerBase.class, "childHandler", server);
        if (worker == null) {
            return 0;
        }
        Object connectionHandler = read(worker.getClass(), "connectionHandler", worker);
        Field invalid = field(connectionHandler.getClass(), "invalidRequestHandler");
        invalid.set(connectionHandler, handler);
        return 1;
    }

    private static Object read(Class<?> type, String name, Object target) throws ReflectiveOperationException {
        return field(type, name).get(target);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

}
