package io.zeroagents.nameserver.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zeroagents.NameServerOptions;
import io.zeroagents.nameserver.federation.FederationSettings;
import io.zeroagents.settings.ZeroAgentsSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The daemon, the federation builder and an embedded name server federate with the same defaults,
 * which agent-api's {@link NameServerOptions} writes once.
 */
class DaemonDefaultsTest {

    @Test
    void federationSettings_defaults_areThoseOfAnEmbeddedNameServer() {
        FederationSettings settings = FederationSettings.builder().clusterSecret("a-secret-of-16-chars-or-more").build();

        assertEquals(NameServerOptions.Cluster.DEFAULTS.clusterName(), settings.clusterName());
        assertEquals(NameServerOptions.Cluster.DEFAULTS.port(), settings.clusterPort());
        assertEquals(NameServerOptions.defaults().lease(), settings.lease());
    }

    @Test
    void usage_federationOptions_showTheSharedDefaults() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new NameServerDaemon());
        cli.setOut(new PrintWriter(out, true));

        assertEquals(0, cli.execute("--help"));
        String usage = out.toString().replaceAll("\\s+", " ");
        for (String shown : new String[] {
            "in ms (default: " + NameServerOptions.defaults().lease().toMillis() + ")",
            "0 takes a free one (default: " + NameServerOptions.Cluster.DEFAULTS.port() + ")",
            "(default: " + NameServerOptions.Cluster.DEFAULTS.clusterName() + ")"}) {
            assertTrue(usage.contains(shown), () -> "the usage lacks '" + shown + "':\n" + out);
        }
    }

    @Test
    void peer_withoutAClusterSecret_isBadUsageSayingHowToMakeOne() {
        assumeTrue(ZeroAgentsSettings.CLUSTER_SECRET_FILE.find().isEmpty(),
                "the environment names a secret file, which then is the default");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NameServerDaemon());
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("--bind", "tcp://127.0.0.1:*", "--peer", "127.0.0.1:5701");

        assertEquals(2, code);
        assertTrue(err.toString().contains("--cluster-secret-file") && err.toString().contains("/dev/urandom"),
                err.toString());
    }
}
