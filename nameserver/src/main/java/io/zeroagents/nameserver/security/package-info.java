/**
 * CURVE encryption and authentication for every ZeroAgents socket that crosses a network: agents'
 * sockets, agent hosts' control endpoints and name servers. See {@link
 * io.zeroagents.nameserver.security.CurveKeys}.
 */
@NullMarked
package io.zeroagents.nameserver.security;

import org.jspecify.annotations.NullMarked;
