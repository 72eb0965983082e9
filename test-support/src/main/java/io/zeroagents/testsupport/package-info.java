/**
 * What the tests of every ZeroAgents module share: {@link io.zeroagents.testsupport.Await} to wait
 * for a condition instead of sleeping, {@link io.zeroagents.testsupport.ChildProcess} for a program
 * in a JVM of its own, {@link io.zeroagents.testsupport.RawZmtpPeer} to send what no ZeroMQ library
 * would, {@link io.zeroagents.testsupport.ZeroMqContextLeakCheck} around each test class, and
 * {@link io.zeroagents.testsupport.SystemProperties} set for a while.
 *
 * <p>Test code only: the modules depend on it at test scope, it is never published, and it depends
 * on nothing of the project, so that every module's tests can use it.
 */
@NullMarked
package io.zeroagents.testsupport;

import org.jspecify.annotations.NullMarked;
