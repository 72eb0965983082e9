package io.zeroagents.benchmarks;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

/**
 * The second JVM of the two-process scenarios. It reads one command a line from stdin and answers
 * each on stdout with {@code @OK [result]} or {@code @ERR reason}; a count armed with
 * {@code expect} ends with {@code @DONE count nanos cpu-nanos}. It exits when stdin closes, so it never
 * outlives the harness.
 *
 * <pre>
 * raw-pull ENDPOINT [HWM]     a raw PULL socket connected there, counting; HWM: its high-water mark
 * raw-rep                     a raw REP socket on tcp://127.0.0.1:*, echoing; answers the endpoint
 * fw-pull NS SOURCE ALIAS [HWM] an agent whose PULL socket connects to SOURCE's ALIAS, counting
 * fw-rep NS NAME              an agent NAME with a REP socket 'rep', echoing
 * fw-echo NS NAME [SPIN]      an EchoAgent NAME, for remote proxy calls; SPIN: its spinWait in µs
 * expect N                    arms the count for N messages
 * capacity MODE TARGET        the capacity measurement (see Capacity)
 * quit
 * </pre>
 */
public final class Peer {
    private final PrintStream out;
    private final ZContext context = new ZContext(1);
    private final MessageCounter counter = new MessageCounter();
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** Agents registered with the harness's name server, which must not wait for their leases to end. */
    private final List<Proxy> agents = new ArrayList<>();

    private Peer(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the command loop.
     *
     * @param args none
     * @throws IOException when stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        // stdout carries the protocol only: whatever else prints goes to stderr.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Peer peer = new Peer(protocol);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                if (!line.isBlank()) {
                    peer.handle(line.trim().split("\\s+"));
                }
            }
        }
        peer.unregister();
        protocol.flush();
        // The name server's thread would keep the JVM up; exit() still runs shutdown hooks (a JFR dump).
        System.exit(0);
    }

    private void unregister() {
        for (Proxy agent : agents) {
            try {
                agent.kill();
            } catch (RuntimeException e) {
                // Its lease ends it on the name server anyway.
            }
        }
    }

    private void handle(String[] words) {
        try {
            String result = switch (words[0]) {
                case "raw-pull" -> rawPull(words[1], words.length > 2 ? Integer.parseInt(words[2]) : 0);
                case "raw-rep" -> rawRep();
                case "fw-pull" -> fwPull(words[1], words[2], words[3], words.length > 4 ? Integer.parseInt(words[4]) : 0);
                case "fw-rep" -> fwRep(words[1], words[2]);
                case "fw-echo" -> fwEcho(words[1], words[2], words.length > 3 ? Long.parseLong(words[3]) : 0);
                case "expect" -> expect(Long.parseLong(words[1]));
                case "jit" -> String.valueOf(Jit.compileMillis());
                case "capacity" -> Capacity.measure(words[1], Integer.parseInt(words[2]));
                default -> throw new IllegalArgumentException("unknown command '" + words[0] + "'");
            };
            out.println(result.isEmpty() ? "@OK" : "@OK " + result);
        } catch (Throwable t) {
            out.println("@ERR " + String.valueOf(t).replace('\n', ' '));
        }
    }

    private String rawPull(String endpoint, int hwm) {
        resources.add(new RawThread(context, SocketType.PULL, "pull", s -> {
            Raw.highWaterMark(s, hwm);
            return Raw.connect(s, endpoint);
        }, s -> {
            if (s.recv(0) != null) {
                counter.hit();
            }
        }));
        return "";
    }

    private String rawRep() {
        RawThread rep = new RawThread(context, SocketType.REP, "rep", s -> Raw.bind(s, "tcp://127.0.0.1:*"), Raw::echo);
        resources.add(rep);
        return rep.endpoint();
    }

    private static AgentOptions registeredWith(String nameServer) {
        return AgentOptions.builder().nameServer(nameServer).build();
    }

    private String fwPull(String nameServer, String source, String alias, int hwm) {
        AgentOptions options = hwm == 0 ? registeredWith(nameServer)
                : registeredWith(nameServer).toBuilder().highWaterMark(hwm).build();
        Proxy sink = Agents.runAgent("PeerSink" + (agents.size() + 1), options);
        agents.add(sink);
        AgentAddress address = Agents.nameServer(nameServer).addr(source, alias);
        sink.connect(address, "in", byte[].class, (agent, message) -> counter.hit());
        return "";
    }

    private String fwRep(String nameServer, String name) {
        Proxy server = Agents.runAgent(name, registeredWith(nameServer));
        agents.add(server);
        server.bind(Pattern.REP, "rep", SocketHandler.onRequest(byte[].class, (agent, request) -> request));
        return "";
    }

    private String fwEcho(String nameServer, String name, long spinMicros) {
        agents.add(Agents.runAgent(name, AgentOptions.builder(EchoAgent.class).nameServer(nameServer)
                .spinWait(java.time.Duration.ofNanos(spinMicros * 1000)).build()));
        return "";
    }

    private String expect(long messages) {
        MessageCounter.Run run = counter.expect(messages);
        run.done.thenAccept(done -> out.println("@DONE " + done.count + " " + done.elapsed() + " " + done.cpu));
        return "";
    }
}
