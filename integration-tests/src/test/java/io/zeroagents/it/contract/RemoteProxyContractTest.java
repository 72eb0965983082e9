package io.zeroagents.it.contract;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;

/**
 * The proxy contract for a proxy to an agent in another process: the agent runs in a JVM of its
 * own, and every call crosses its host's control endpoint.
 */
class RemoteProxyContractTest extends ProxyContract {
    @Override
    protected Proxy proxyTo(String name, AgentOptions.Builder options) {
        return Agents.runAgent(name, options.ownProcess(true).build()).safe();
    }
}
