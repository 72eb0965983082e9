package io.zeroagents.examples;

import io.zeroagents.testsupport.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the Quick start demo as users do, in its own JVM, and checks the conversation it prints. */
@Timeout(90)
class DemoTest {

    @Test
    void main_runsEveryPatternAndExitsZero() throws Exception {
        ChildProcess.run(Demo.class, ExamplesTest.LIMIT).assertSucceededPrinting("Received: Hello, Bob! (3)",
                "Carol: 4 squared is 16", "Rome report: sunny, 24 C", "Oslo report: snow, -3 C", "tick",
                "Got greeting: Hello, everyone!", "Greeter has greeted 2 times",
                "Dave's added method 'shout': HELLO!", "every agent stopped");
    }
}
