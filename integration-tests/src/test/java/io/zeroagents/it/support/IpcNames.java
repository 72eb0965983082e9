package io.zeroagents.it.support;

import java.util.UUID;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Fresh named ipc endpoints for tests. JeroMQ carries ipc over loopback tcp, on a port derived
 * from the name's hash, so a random name can land on a port something else holds (a test saw
 * "Address already in use" for a fresh UUID); a name is only handed out once its port was free.
 */
public final class IpcNames {
    private IpcNames() {
    }

    /** An {@code ipc://} endpoint with a random name that nothing holds now. */
    public static String freeEndpoint() {
        for (int attempt = 0; attempt < 100; attempt++) {
            String endpoint = "ipc://" + UUID.randomUUID();
            if (free(endpoint)) {
                return endpoint;
            }
        }
        throw new IllegalStateException("No free ipc endpoint in 100 random names");
    }

    /** Whether another socket can bind {@code endpoint} now; it is closed again at once. */
    public static boolean free(String endpoint) {
        try (ZContext context = new ZContext()) {
            ZMQ.Socket socket = context.createSocket(SocketType.PULL);
            socket.setLinger(0);
            try {
                return socket.bind(endpoint);
            } catch (ZMQException e) {
                return false;
            }
        }
    }
}
