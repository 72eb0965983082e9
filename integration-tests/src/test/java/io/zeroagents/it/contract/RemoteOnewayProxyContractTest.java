package io.zeroagents.it.contract;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;

/** The proxy contract for a one-way proxy to an agent in another process. */
class RemoteOnewayProxyContractTest extends ProxyContract {
    @Override
    protected Proxy proxyTo(String name, AgentOptions.Builder options) {
        return Agents.runAgent(name, options.ownProcess(true).build()).oneway();
    }

    @Override
    protected boolean waitsForOutcome() {
        return false;
    }
}
