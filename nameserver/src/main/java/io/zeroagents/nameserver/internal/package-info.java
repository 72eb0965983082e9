/**
 * Internal to ZeroAgents, not an API: workarounds the name server and the agent runtime share
 * (both create their ZeroMQ sockets here). Anything in this package may change or go with any
 * release.
 */
@NullMarked
package io.zeroagents.nameserver.internal;

import org.jspecify.annotations.NullMarked;
