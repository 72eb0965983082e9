package io.zeroagents.it.distributed;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * What the distributed tests need besides the test kit's containers ({@code AgentHostContainer},
 * on the image {@code HostImage} builds without a registry from the daemon jar the build made):
 * a Docker engine, and the faults the kit has no method for.
 *
 * <p>Without Docker the tests skip with the reason, except under {@code CI=true}, where a skip
 * would hide them, so it fails. The hosts run with CURVE and so does this JVM's runtime, which
 * reads its keys once, when it starts: these tests run in a JVM of their own (surefire's
 * {@code distributed} execution), which starts no agent before them.
 */
final class DockerHosts {
    private DockerHosts() {
    }

    /** Skips the calling test without Docker, or fails it under CI. */
    static void requireDocker() {
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            available = false;
        }
        if (!available) {
            String reason = "Docker is not available (start an engine as ../shared/ci-docker.md shows)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + "; under CI=true the distributed tests must run");
            }
            Assumptions.abort(reason);
        }
    }

    /** The Docker client Testcontainers uses, for faults the kit has no method for. */
    static DockerClient client() {
        return DockerClientFactory.instance().client();
    }
}
