package dev.rollout.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollout.ProjectRoot;
import dev.rollout.local.time.VirtualClock;

/**
 * A long-bake scenario run to its end, with how many metric runs the in-memory CloudWatch kept for it: the long-bake
 * tests hold both the decisions and the storage to what the minute-by-minute path gave.
 */
record LongBakeRun(Simulation.Result result, int metricRuns) {
    static LongBakeRun of(ObjectNode scenario) throws Exception {
        Simulation simulation = new Simulation(ProjectRoot.path(), Scenario.read(scenario),
                new VirtualClock(Simulation.START), null, line -> { });
        Simulation.Result result = simulation.run();
        return new LongBakeRun(result, simulation.aws().cloudWatch().storedMetricRuns());
    }
}
