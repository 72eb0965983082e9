package io.zeroagents.examples;

/** A typed view of {@link Greeter} for {@code proxy.as(GreeterApi.class)}. */
public interface GreeterApi {
    /**
     * Greets someone.
     *
     * @param name who to greet
     * @return how many greetings the agent has sent
     */
    int hello(String name);
}
