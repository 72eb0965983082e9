package io.zeroagents.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects an embedded name server, started by {@link NameServerExtension}, into a field or
 * parameter of type {@link io.zeroagents.NameServer}, and shuts it down afterwards.
 *
 * <pre>{@code
 * class OrdersTest {
 *     @EmbeddedNameServer
 *     static NameServer ns;          // one name server for the whole class
 *
 *     @Test
 *     void order_isConfirmed() {
 *         Proxy shop = Agents.runAgent("Shop");   // registers with ns, the last one started
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>The lifecycle follows the declaration, as with JUnit's {@code @TempDir}: a {@code static}
 * field, or a parameter of a {@code @BeforeAll} or {@code @AfterAll} method, gets one name server
 * for the test class, shut down after its last test; otherwise (instance fields, parameters of
 * tests and of {@code @BeforeEach}/{@code @AfterEach} methods) every test gets a fresh one, shut
 * down after it, unless the class declares a static one, which then serves its tests too.
 * Shutting a name server down shuts down the agents registered with it.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@ExtendWith(NameServerExtension.class)
public @interface EmbeddedNameServer {
}
