// The speed reference: the healthy rollout of CASES.json (written by dev.rollout.local.EngineCompare) run again and
// again in aws-local-stepfunctions on the JSONPath transliteration, every task answered by its stub at once. Prints
// the process CPU and the V8 heap allocated per execution (medians over rounds, after a warm-up), one line to parse:
//   aws-local-stepfunctions: states=36 task_calls=22 cpu_ms=1.234 alloc_mb=0.567 executions_per_s=800
//   ORACLE=$(bench/engine-compare/install.sh) node bench/engine-compare/bench.mjs target/engine-compare/cases.json [WARMUP N ROUNDS]
// Allocation: the heap in use at the end less at the start, plus what each garbage collection in between freed
// (v8.GCProfiler), so it counts every byte allocated on the V8 heap, not what stays.
if (!Promise.withResolvers) { // Node 20 lacks it; aws-local-stepfunctions 3.0.0 uses it
  Promise.withResolvers = function () { let a, b; const p = new Promise((r, j) => { a = r; b = j; }); return { promise: p, resolve: a, reject: b }; };
}
import fs from 'node:fs';
import v8 from 'node:v8';
import { overrides, readDefinition, toJsonPath } from './transliteration.mjs';

if (!process.env.ORACLE) throw new Error('set ORACLE to the folder bench/engine-compare/install.sh prints');
const { StateMachine } = await import(process.env.ORACLE + '/node_modules/aws-local-stepfunctions/build/main.node.esm.js');
const [file, warmup = '300', n = '200', rounds = '5'] = process.argv.slice(2);
const { input, payloads, cases } = JSON.parse(fs.readFileSync(file, 'utf8'));
const healthy = cases.find((c) => c.failures.length === 0);
const original = readDefinition(fs.readFileSync('statemachine/rollout.asl.json', 'utf8'));
const machine = new StateMachine(toJsonPath(original), { validationOptions: { checkArn: false, checkPaths: true } });

let taskCalls = 0;
const stubs = overrides(original, payloads);
for (const [state, stub] of Object.entries(stubs.taskResourceLocalHandlers)) {
  stubs.taskResourceLocalHandlers[state] = (input) => { taskCalls++; return stub(input); };
}
const runOne = async () => { await machine.run(input, { overrides: stubs }).result; };

await runOne(); // fails loudly if the healthy rollout does not succeed here
const callsPerExecution = taskCalls;
for (let i = 0; i < +warmup; i++) await runOne();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpu = [];
const allocated = [];
const rates = [];
for (let r = 0; r < +rounds; r++) {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const heapBefore = v8.getHeapStatistics().used_heap_size;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let i = 0; i < +n; i++) await runOne();
  const wall = performance.now() - wallBefore;
  const used = process.cpuUsage(cpuBefore);
  const heapAfter = v8.getHeapStatistics().used_heap_size;
  const freed = profiler.stop().statistics.reduce((sum, gc) =>
    sum + gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize, 0);
  cpu.push((used.user + used.system) / 1000 / +n);
  allocated.push((heapAfter - heapBefore + freed) / 1e6 / +n);
  rates.push(+n / (wall / 1000));
}
console.log(`aws-local-stepfunctions: states=${healthy.executor.states.length} task_calls=${callsPerExecution}`
  + ` cpu_ms=${median(cpu).toFixed(3)} alloc_mb=${median(allocated).toFixed(3)} executions_per_s=${median(rates).toFixed(0)}`
  + ` (medians of ${rounds} rounds of ${n}, after ${warmup})`);
