package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.nameserver.protocol.AddressEntry;
import java.util.List;

/**
 * How an {@link AgentAddress} travels: as a name-server {@link AddressEntry}, and as the plain
 * strings of the control protocol. One place, so a new address field reaches every path.
 */
final class AddressWire {
    /** How many strings one address takes in a control message. */
    static final int STRINGS = 5;

    private AddressWire() {
    }

    static AddressEntry toEntry(String alias, AgentAddress address) {
        AddressEntry.Builder entry = AddressEntry.newBuilder().setAlias(alias).setEndpoint(address.endpoint())
                .setPattern(address.pattern().name()).setCodec(address.codec().id()).setRaw(address.raw());
        if (address.requestEndpoint() != null) {
            entry.setRequestEndpoint(address.requestEndpoint());
        }
        return entry.build();
    }

    static AgentAddress fromEntry(AddressEntry entry) {
        return new AgentAddress(entry.getEndpoint(), Pattern.valueOf(entry.getPattern()), Codec.of(entry.getCodec()),
                entry.getRaw(), entry.getRequestEndpoint().isEmpty() ? null : entry.getRequestEndpoint());
    }

    static List<String> toStrings(AgentAddress address) {
        String requests = address.requestEndpoint();
        return List.of(address.endpoint(), address.pattern().name(), address.codec().id(),
                String.valueOf(address.raw()), requests == null ? "" : requests);
    }

    static AgentAddress fromStrings(List<String> strings, int from) {
        String requests = strings.get(from + 4);
        return new AgentAddress(strings.get(from), Pattern.valueOf(strings.get(from + 1)),
                Codec.of(strings.get(from + 2)), Boolean.parseBoolean(strings.get(from + 3)),
                requests.isEmpty() ? null : requests);
    }
}
