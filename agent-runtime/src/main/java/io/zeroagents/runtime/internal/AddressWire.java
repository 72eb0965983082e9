package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.nameserver.protocol.AddressEntry;

/**
 * How an {@link AgentAddress} travels: as a name-server {@link AddressEntry}, in the name-server
 * protocol and the control protocol alike. One place, so a new address field reaches every path.
 */
final class AddressWire {
    private AddressWire() {
    }

    static AddressEntry toEntry(String alias, AgentAddress address) {
        AddressEntry.Builder entry = AddressEntry.newBuilder().setAlias(alias).setEndpoint(address.endpoint())
                .setPattern(address.pattern().name()).setCodec(address.codec().id()).setRaw(address.raw());
        if (address.requestEndpoint() != null) {
            entry.setRequestEndpoint(address.requestEndpoint());
        }
        if (address.serverKey() != null) {
            entry.setServerKey(address.serverKey());
        }
        return entry.build();
    }

    static AgentAddress fromEntry(AddressEntry entry) {
        return new AgentAddress(entry.getEndpoint(), Pattern.valueOf(entry.getPattern()), Codec.of(entry.getCodec()),
                entry.getRaw(), entry.getRequestEndpoint().isEmpty() ? null : entry.getRequestEndpoint(),
                entry.getServerKey().isEmpty() ? null : entry.getServerKey());
    }
}
