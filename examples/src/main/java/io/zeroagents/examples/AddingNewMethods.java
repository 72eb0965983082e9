package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.Agent;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * osBrain's "Adding new methods" tutorial: a proxy can add methods to a running agent, or replace
 * them, and then call them by name.
 *
 * <p>The agent {@code Example} is a plain agent; through its proxy it gets {@code setX} and
 * {@code setY} from method references, named after their methods, and {@code add} under a name
 * of its own (osBrain's {@code set_method(set_x, set_y, add=add_xy)}), and
 * {@code add} of 1 and 2 returns 3. Then {@code add} is replaced by a method that explains its
 * result. Added methods run on the agent's own thread, like its handlers.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=AddingNewMethods -pl examples -am package -DskipTests}.
 */
public final class AddingNewMethods {
    private AddingNewMethods() {
    }

    /**
     * Runs the example; exits 0 when the added methods computed 1 + 2 = 3.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ExampleRun.main("Adding new methods: setMethod through a proxy, then call by name", AddingNewMethods::run);
    }

    private static void run(NameServer ns) {
        Proxy agent = Agents.runAgent("Example");

        // osBrain's set_method(set_x, set_y, add=add_xy): method references are named after their
        // methods; a method added under another name is given one.
        agent.setMethod(AddingNewMethods::setX, AddingNewMethods::setY);
        agent.setMethods(Map.of("add", AddingNewMethods::addXy));
        System.out.println("Added methods setX, setY and add to agent 'Example'");

        agent.call("setX", 1);
        agent.call("setY", 2);
        Integer sum = agent.call(Integer.class, "add");
        System.out.println("setX(1), setY(2), add() = " + sum);
        check(Integer.valueOf(3).equals(sum), "add() to return 3, got " + sum);

        agent.setMethod("add", (self, args) -> {
            int x = attr(self, "x");
            int y = attr(self, "y");
            return x + " + " + y + " = " + (x + y);
        });
        String explained = agent.call(String.class, "add");
        System.out.println("add replaced; add() = " + explained);
        check("1 + 2 = 3".equals(explained), "the replaced add() to return '1 + 2 = 3', got " + explained);
    }

    static @Nullable Object setX(Agent self, @Nullable Object... args) {
        self.setAttr("x", args[0]);
        return null;
    }

    static @Nullable Object setY(Agent self, @Nullable Object... args) {
        self.setAttr("y", args[0]);
        return null;
    }

    static Object addXy(Agent self, @Nullable Object... args) {
        return attr(self, "x") + attr(self, "y");
    }

    private static int attr(Agent self, String name) {
        return Objects.requireNonNull(self.getAttr(name, Integer.class), () -> "attribute '" + name + "' is unset");
    }
}
