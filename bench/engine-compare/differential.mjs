// The differential check: runs each case of CASES.json (written by dev.rollout.local.EngineCompare: the input, the stub
// payloads, and per case the task calls made to fail, its own input and payloads when it is another rollout, and what
// the project's executor did) in aws-local-stepfunctions on the JSONPath transliteration, and compares the states both
// engines entered, in order, and how each execution ended.
// Prints one line per case, then 'differential: N passed, N failed, N skipped' (skipped: a case needs what the
// transliteration lacks); exits 1 when the engines disagree, 2 when a case was skipped.
//   ORACLE=$(bench/engine-compare/install.sh) node bench/engine-compare/differential.mjs target/engine-compare/cases.json
// (from the project root; bench/engine-compare/differential.sh does all of it).
if (!Promise.withResolvers) { // Node 20 lacks it; aws-local-stepfunctions 3.0.0 uses it
  Promise.withResolvers = function () { let a, b; const p = new Promise((r, j) => { a = r; b = j; }); return { promise: p, resolve: a, reject: b }; };
}
import fs from 'node:fs';
import { overrides, readDefinition, toJsonPath } from './transliteration.mjs';

if (!process.env.ORACLE) throw new Error('set ORACLE to the folder bench/engine-compare/install.sh prints');
const { StateMachine } = await import(process.env.ORACLE + '/node_modules/aws-local-stepfunctions/build/main.node.esm.js');
const { input, payloads, cases } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const original = readDefinition(fs.readFileSync('statemachine/rollout.asl.json', 'utf8'));
const machine = new StateMachine(toJsonPath(original), { validationOptions: { checkArn: false, checkPaths: true } });

/** The states aws-local-stepfunctions entered, in order, and how the execution ended. */
async function run(machine, original, input, payloads, failures) {
  const problems = [];
  const execution = machine.run(input, { overrides: overrides(original, payloads, failures, problems) });
  let status = 'SUCCEEDED';
  let error = '';
  try {
    await execution.result;
  } catch (failed) {
    status = 'FAILED';
    error = failed.cause?.name ?? failed.name; // an ExecutionError; its cause is the Fail state's error
  }
  const states = [];
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered') states.push(event.state.name);
    if (event.type.startsWith('Execution') && event.type !== 'ExecutionStarted') break;
  }
  return { states, status, error, problems };
}

const same = (a, b) => a.states.join('>') === b.states.join('>') && a.status === b.status && a.error === b.error;
let disagreements = 0;
let unsupported = 0;
for (const c of cases) {
  const engine = await run(machine, original, c.input ?? input, c.payloads ?? payloads, c.failures);
  const executor = c.executor;
  if (engine.problems.length || engine.states.includes('NotTransliterated')) {
    unsupported++;
    console.log(`NOT COMPARED  ${c.name}: needs what the transliteration lacks: ${engine.problems.join('; ') || 'a Choice rule with an Assign'}`);
  } else if (same(engine, executor)) {
    console.log(`agree         ${c.name}: ${executor.states.length} states, ${executor.status}${executor.error ? ' ' + executor.error : ''}`);
  } else {
    disagreements++;
    let i = 0;
    while (i < executor.states.length && executor.states[i] === engine.states[i]) i++;
    console.log(`DISAGREE      ${c.name}: from state ${i + 1} on`);
    console.log(`  executor:                ${executor.states.slice(i).join(' > ')} | ${executor.status} ${executor.error}`);
    console.log(`  aws-local-stepfunctions: ${engine.states.slice(i).join(' > ')} | ${engine.status} ${engine.error}`);
  }
}
console.log(`differential: ${cases.length - disagreements - unsupported} passed, ${disagreements} failed, ${unsupported} skipped`);
process.exit(disagreements ? 1 : unsupported ? 2 : 0);
