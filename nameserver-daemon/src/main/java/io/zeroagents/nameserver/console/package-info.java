/**
 * The name server's web console and its JSON API: every agent the registry holds, its host, its
 * sockets, the links between agents as a graph, message rates, errors and lease age, from the
 * traffic reports agent hosts send with their heartbeats.
 *
 * <p>{@link io.zeroagents.nameserver.console.ConsoleServer} serves the page and the API on the
 * JDK's HTTP server ({@code java -jar nameserver.jar --http PORT});
 * the name server's {@link io.zeroagents.nameserver.TrafficReports} keep what the hosts reported, and
 * {@link io.zeroagents.nameserver.console.ConsoleSnapshot} is what the API returns. The page draws
 * the graph with Cytoscape.js, served from its WebJar.
 */
@NullMarked
package io.zeroagents.nameserver.console;

import org.jspecify.annotations.NullMarked;
