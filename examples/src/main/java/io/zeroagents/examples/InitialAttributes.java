package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * osBrain's "Setting initial attributes" tutorial: attributes set after an agent starts
 * ({@code setAttrs}, osBrain's {@code set_attr(x=1, y=2)}) or given when it starts
 * ({@code AgentOptions...attribute("x", 1)}, osBrain's {@code run_agent(..., attributes=dict(x=1, y=2))}).
 *
 * <p>Both give a plain agent the attributes {@code x = 1} and {@code y = 2}. The difference shows
 * in an agent class: initial attributes are already in its fields when {@code onInit} runs, so a
 * {@link Point} started with them computes its {@code sum} there, while one configured afterwards
 * saw only the defaults.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=InitialAttributes -pl examples -am package -DskipTests}.
 */
public final class InitialAttributes {
    private InitialAttributes() {
    }

    /** An agent with two fields set as attributes, and a third computed from them when it starts. */
    public static class Point extends BaseAgent {
        int x;
        int y;
        int sum;

        /** Created by the runtime; see {@link BaseAgent}. */
        public Point() {
        }

        @Override
        protected void onInit() {
            sum = x + y;
        }
    }

    /**
     * Runs the example; exits 0 when every agent holds x = 1 and y = 2, and the point started with
     * them computed their sum in {@code onInit}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ExampleRun.main("Initial attributes: setAttrs after starting, or attributes when starting", InitialAttributes::run);
    }

    private static void run(NameServer ns) {
        Map<String, Object> xy = new LinkedHashMap<>();
        xy.put("x", 1);
        xy.put("y", 2);

        Proxy foo = Agents.runAgent("Foo");
        foo.setAttrs(xy);
        show(foo, "setAttrs after starting", "x", "y");

        Proxy bar = Agents.runAgent("Bar", AgentOptions.builder().attributes(xy).build());
        show(bar, "attributes when starting", "x", "y");

        Proxy late = Agents.runAgent("LatePoint", AgentOptions.of(Point.class));
        late.setAttrs(xy);
        show(late, "a Point, setAttrs after starting", "x", "y", "sum");

        Proxy early = Agents.runAgent("EarlyPoint", AgentOptions.builder(Point.class).attributes(xy).build());
        show(early, "a Point, attributes when starting", "x", "y", "sum");

        for (Proxy agent : new Proxy[] {foo, bar, late, early}) {
            check(Integer.valueOf(1).equals(agent.getAttr("x")) && Integer.valueOf(2).equals(agent.getAttr("y")),
                    agent.name() + " to hold x = 1 and y = 2");
        }
        check(Integer.valueOf(0).equals(late.getAttr("sum")), "LatePoint's onInit to see x = 0 and y = 0");
        check(Integer.valueOf(3).equals(early.getAttr("sum")), "EarlyPoint's onInit to see x = 1 and y = 2");
        System.out.println("Initial attributes are set before onInit runs: EarlyPoint's sum is 3, LatePoint's is 0");
    }

    private static void show(Proxy agent, String how, String... names) {
        StringBuilder line = new StringBuilder(agent.name() + " (" + how + "):");
        for (String name : names) {
            line.append(' ').append(name).append(" = ").append(agent.getAttr(name));
        }
        System.out.println(line);
    }
}
