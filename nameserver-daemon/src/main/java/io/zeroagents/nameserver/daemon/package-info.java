/**
 * The standalone name server ({@code java -jar nameserver.jar}) and its command line: serve, and
 * {@code agents list|ping|addr|shutdown} against a running name server.
 */
@NullMarked
package io.zeroagents.nameserver.daemon;

import org.jspecify.annotations.NullMarked;
