package io.zeroagents;

import java.io.Serializable;

/**
 * What a timer does each time it fires; runs on the agent's own loop thread.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface TimerAction extends Serializable {
    /**
     * Runs the action.
     *
     * @param agent the agent that owns the timer
     * @throws Exception any failure; logged, and the timer keeps its schedule
     */
    void run(Agent agent) throws Exception;
}
