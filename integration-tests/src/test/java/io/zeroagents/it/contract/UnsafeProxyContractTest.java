package io.zeroagents.it.contract;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;

/** The proxy contract for an unsafe proxy, whose attribute and method calls run on the caller's thread. */
class UnsafeProxyContractTest extends ProxyContract {
    @Override
    protected Proxy proxyTo(String name, AgentOptions.Builder options) {
        return Agents.runAgent(name, options.build()).unsafe();
    }
}
