package zmq;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.Pipe;

/**
 * Test support: JeroMQ's commands are made inside its own package only, and a mailbox's
 * signalling pipe is private; tests of what a mailbox does with them reach them here.
 */
public final class TestCommands {
    private TestCommands() {
    }

    /** A cancel command for {@code destination}: harmless to any socket that processes it. */
    public static Command cancel(ZObject destination) {
        return new Command(destination, Command.Type.CANCEL);
    }

    /**
     * Closes only the writing end of a mailbox's signalling pipe, as an interrupted sender's write
     * does, leaving the socket's reading end open.
     */
    public static void closeWritingEnd(Mailbox mailbox) throws ReflectiveOperationException, IOException {
        Field signalerField = Mailbox.class.getDeclaredField("signaler");
        signalerField.setAccessible(true);
        Object signaler = signalerField.get(mailbox);
        Field writer = signaler.getClass().getDeclaredField("w");
        writer.setAccessible(true);
        ((Pipe.SinkChannel) writer.get(signaler)).close();
    }
}
