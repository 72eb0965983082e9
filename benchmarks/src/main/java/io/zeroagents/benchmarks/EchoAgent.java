package io.zeroagents.benchmarks;

import io.zeroagents.BaseAgent;

/** An agent whose one method returns its argument: the target of the proxy-call scenarios. */
public class EchoAgent extends BaseAgent {
    /** Created by the runtime. */
    public EchoAgent() {
    }

    /** Returns what it was given. */
    public byte[] echo(byte[] message) {
        return message;
    }
}
