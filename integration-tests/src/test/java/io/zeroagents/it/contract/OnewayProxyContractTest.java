package io.zeroagents.it.contract;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;

/** The proxy contract for a one-way proxy, whose calls return at once and take effect later. */
class OnewayProxyContractTest extends ProxyContract {
    @Override
    protected Proxy proxyTo(String name, AgentOptions.Builder options) {
        return Agents.runAgent(name, options.build()).oneway();
    }

    @Override
    protected boolean waitsForOutcome() {
        return false;
    }
}
