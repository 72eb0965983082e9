/**
 * JMH micro-benchmarks of the wire format: the envelope and the payload codecs. Run them with
 * {@code benchmarks/run.sh jmh}.
 */
@NullMarked
package io.zeroagents.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
