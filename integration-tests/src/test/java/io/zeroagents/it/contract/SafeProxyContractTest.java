package io.zeroagents.it.contract;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;

/** The proxy contract for a safe proxy to an agent of this JVM (the default). */
class SafeProxyContractTest extends ProxyContract {
    @Override
    protected Proxy proxyTo(String name, AgentOptions.Builder options) {
        return Agents.runAgent(name, options.build()).safe();
    }
}
