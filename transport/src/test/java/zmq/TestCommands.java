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

    /** Writes to a mailbox's signalling pipe until it is full; returns how many bytes it took. */
    public static int fillSignallingPipe(Mailbox mailbox) throws ReflectiveOperationException, IOException {
        Pipe.SinkChannel sink = (Pipe.SinkChannel) signalerField(mailbox, "w");
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4096);
        int total = 0;
        int written;
        do {
            bytes.clear();
            written = sink.write(bytes);
            total += written;
        } while (written > 0);
        return total;
    }

    /** Reads up to {@code count} bytes off a mailbox's signalling pipe, as its own thread would. */
    public static int drainSignallingPipe(Mailbox mailbox, int count) throws ReflectiveOperationException, IOException {
        Pipe.SourceChannel source = (Pipe.SourceChannel) signalerField(mailbox, "r");
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(count);
        return source.read(bytes);
    }

    /** How many wake-ups senders have counted on a mailbox so far ({@code Signaler.wcursor}). */
    public static long wakeUpsCounted(Mailbox mailbox) throws ReflectiveOperationException {
        return ((java.util.concurrent.atomic.AtomicLong) signalerField(mailbox, "wcursor")).get();
    }

    private static Object signalerField(Mailbox mailbox, String name) throws ReflectiveOperationException {
        Field signalerField = Mailbox.class.getDeclaredField("signaler");
        signalerField.setAccessible(true);
        Object signaler = signalerField.get(mailbox);
        Field field = signaler.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(signaler);
    }
}
