package zmq;

/**
 * Test support: JeroMQ's commands are made inside its own package only; tests that hand one to a
 * mailbox directly make it here.
 */
public final class TestCommands {
    private TestCommands() {
    }

    /** A cancel command for {@code destination}: harmless to any socket that processes it. */
    public static Command cancel(ZObject destination) {
        return new Command(destination, Command.Type.CANCEL);
    }
}
