/**
 * A Log4j 2 appender that publishes log events on a ZeroMQ PUB socket, in the ZeroAgents wire
 * format, so agents, logger agents and plain ZeroMQ subscribers can follow a program's log.
 *
 * <p>{@link io.zeroagents.log4j.ZeroMqPublisherAppender} is the plugin {@code ZeroMqPublisher}:
 * each event travels as two frames, the level name as the topic and a
 * {@link io.zeroagents.serialization.proto.Envelope} holding the formatted line.
 */
@NullMarked
package io.zeroagents.log4j;

import org.jspecify.annotations.NullMarked;
