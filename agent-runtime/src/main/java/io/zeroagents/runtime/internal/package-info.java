/**
 * The JeroMQ runtime behind {@code agent-api}: agent loops, sockets, timers, proxies, agent hosts
 * and the embedded name server. Internal: nothing here is API, and any of it may change.
 */
@NullMarked
package io.zeroagents.runtime.internal;

import org.jspecify.annotations.NullMarked;
