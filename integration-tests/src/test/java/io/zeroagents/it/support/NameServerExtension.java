package io.zeroagents.it.support;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a fresh embedded name server around each test and shuts it (and so every agent registered
 * with it) down afterwards. Register with {@code @RegisterExtension}.
 */
public final class NameServerExtension implements BeforeEachCallback, AfterEachCallback {
    private NameServer nameServer;

    @Override
    public void beforeEach(ExtensionContext context) {
        nameServer = Agents.runNameServer();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (nameServer != null) {
            nameServer.shutdown();
        }
    }

    public NameServer nameServer() {
        return nameServer;
    }
}
