package io.zeroagents.examples;

import io.zeroagents.BaseAgent;
import io.zeroagents.Pattern;

/**
 * The example of the OOP agents guide ({@code docs/guide/oop-agents.md}): an agent that binds
 * its own socket when it starts and greets whoever it is asked to.
 */
public class Greeter extends BaseAgent {
    /** Counts greetings; set it with {@code AgentOptions.builder(Greeter.class).attribute("greeted", 0)}. */
    int greeted;

    @Override
    protected void onInit() {
        bind(Pattern.PUSH, "greetings");
    }

    /**
     * Sends a greeting on the {@code greetings} socket; callable through a proxy by name.
     *
     * @param name who to greet
     * @return how many greetings this agent has sent
     */
    public int hello(String name) {
        send("greetings", "Hello, " + name + "!");
        return ++greeted;
    }
}
