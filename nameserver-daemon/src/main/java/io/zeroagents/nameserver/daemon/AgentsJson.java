package io.zeroagents.nameserver.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code agents list --json}: the registered agents as a JSON array for scripts, one object per
 * agent with {@code name}, {@code host}, {@code nameServerHost} (empty outside a federation),
 * {@code leaseRemainingMs} and {@code addresses} ({@code alias}, {@code endpoint}, {@code pattern},
 * {@code codec}).
 */
final class AgentsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentsJson() {
    }

    static String of(List<AgentEntry> agents) {
        ArrayNode array = JSON.createArrayNode();
        for (AgentEntry agent : agents) {
            ObjectNode node = array.addObject()
                    .put("name", agent.getName())
                    .put("host", agent.getHostId())
                    .put("nameServerHost", agent.getNameserverHost())
                    .put("leaseRemainingMs", agent.getLeaseRemainingMs());
            ArrayNode addresses = node.putArray("addresses");
            for (AddressEntry address : agent.getAddressesList()) {
                addresses.addObject().put("alias", address.getAlias()).put("endpoint", address.getEndpoint())
                        .put("pattern", address.getPattern()).put("codec", address.getCodec());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
