/**
 * Internal to ZeroAgents, not an API: the transport layer every ZeroAgents socket is made through.
 * It is the one package that reaches into JeroMQ's internals ({@code zmq.*}): whole-message reads
 * ({@link io.zeroagents.transport.Frames}), payloads carried along inproc, the mailbox guard, CURVE
 * keys ({@link io.zeroagents.transport.CurveKeys}), the socket factory that applies linger, frame
 * limits, handshake and CURVE ({@link io.zeroagents.transport.SocketFactory}), the polling
 * window that servers and agent loops share ({@link io.zeroagents.transport.PollingWindow}), and
 * who is a server's admin: a token in an owner-only file ({@link io.zeroagents.transport.AdminTokens})
 * or, with CURVE, a listed key ({@link io.zeroagents.transport.AdminKeys}).
 * {@code JeroMqBehaviourTest} pins the JeroMQ behaviours these rely on. Anything here may change
 * with any release.
 */
@NullMarked
package io.zeroagents.transport;

import org.jspecify.annotations.NullMarked;
