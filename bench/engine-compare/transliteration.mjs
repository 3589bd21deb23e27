// A JSONPath transliteration of statemachine/rollout.asl.json (JSONata) for aws-local-stepfunctions, which implements
// JSONPath only, and the task stubs that go with it. Same states, same Next / Choice / Retry / Catch graph, same Fail
// error names. What JSONata computed (each state's Assign, each Choice's conditions) the stubs compute in JavaScript
// and pass along in the state data under "vars":
//   - a Task's Assign: ASSIGN below, applied by the state's stub to the payload it answers;
//   - a Choice's conditions: CHOICES below, evaluated by every stub for every Choice state (on the variables, and on
//     the payload the stub answers where a condition reads $states.input), the index of the rule that matches stored
//     in vars.routes[choice]; the JSONPath Choice only compares that index;
//   - a Wait's Timestamp from $states.input: WAITS below, the same field of the payload (TimestampPath $.out...);
//   - a Catch's Assign of the error output: the Catch's ResultPath ($.vars.failure, $.vars.rollbackFailure);
//   - a Fail's Error from $failure.Error: ErrorPath $.vars.failure.Error.
// JSONPath cannot assign in a Choice rule or compute in a Catch, so what needs that is not transliterated: a rule with
// an Assign (hooks, a zero-second bake, an approval's time-out that goes on) and a Catch with an Assign other than the
// error output (a bake's or an approval's timeout). A rollout that would take one of those makes the stub throw
// Unsupported, and the scripts stop saying so rather than compare something else. A bake here ends by its function
// answering (the definition's Bake -> NextStep with stepIndex + 1), where the executor's ends by its timeout (Catch
// States.Timeout -> NextStep with stepIndex + 1): the same states, reached through the other edge.
// The checks below (checkDefinition) refuse a definition whose Assign fields, Choice rules or Wait timestamps no
// longer match these tables: adapt them when the state machine changes.

export class Unsupported extends Error {
  constructor(message) { super(message); this.name = 'Transliteration.Unsupported'; }
}

/** Where a Choice goes when the rule that matched is not transliterated: visible in the path, never a silent detour. */
export const NOT_TRANSLITERATED = 'NotTransliterated';

const FAILURE_ASSIGNS = { failure: '$.vars.failure', rollbackFailure: '$.vars.rollbackFailure' };

// Each Task state's Assign, as JSONata computed it from $states.result.Payload (p) and the variables (v).
const ASSIGN = {
  Prepare: (v, p) => ({
    rollout: p.rollout, revisionId: p.revisionId, stepIndex: 0, healthSince: p.rollout.preparedAt,
    checks: { failed: 0, inconclusive: 0 }, preTrafficHookDone: false, propagation: null,
  }),
  ShiftTraffic: (v, p) => ({ revisionId: p.revisionId, healthSince: p.checkedAt, stepIndex: v.stepIndex + 1, checks: p.checks }),
  ShiftTrafficWithoutBake: (v, p) => ({
    revisionId: p.revisionId, healthSince: p.checkedAt, stepIndex: v.stepIndex + 1, checks: p.checks, propagation: p.propagation,
  }),
  Settle: () => ({ propagation: null }),
  Bake: (v) => ({ stepIndex: v.stepIndex + 1 }),
  RequestApproval: (v) => ({ stepIndex: v.stepIndex + 1 }),
  Promote: (v, p) => ({ revisionId: p.revisionId, healthSince: p.checkedAt, checks: p.checks, propagation: p.propagation }),
  CheckHealth: (v, p) => ({ checks: p.checks }),
  Rollback: (v, p) => ({ reason: p.reason, endPhase: p.phase }),
  NotifyRefused: (v, p) => ({ reason: p.reason }),
};

const step = (v, offset = 0) => v.rollout?.steps?.[v.stepIndex + offset];
const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);

// Each Choice state's rules, in order, as JSONata evaluated them from the variables (v) and the state's input (input:
// the payload of the task before it); assigns: the rule has an Assign (not transliterated).
const CHOICES = {
  NextStep: [
    { next: 'Settle', when: (v) => isObject(v.propagation) },
    { next: 'RunHook', assigns: true, when: (v) => !v.preTrafficHookDone && isObject(v.rollout.hooks?.preTraffic) },
    { next: 'Promote', when: (v) => v.stepIndex >= (v.rollout.steps?.length ?? 0) },
    { next: 'ShiftTrafficWithoutBake', when: (v) => step(v)?.type === 'Shift' && v.rollout.target?.type === 'Route53Weighted' },
    { next: 'ShiftTraffic', when: (v) => step(v)?.type === 'Shift' && step(v, 1)?.type === 'Bake' && step(v, 1).seconds > 0 },
    { next: 'ShiftTrafficWithoutBake', when: (v) => step(v)?.type === 'Shift' },
    { next: 'Bake', when: (v) => step(v)?.type === 'Bake' && step(v).seconds > 0 },
    { next: 'NextStep', assigns: true, when: (v) => step(v)?.type === 'Bake' },
    { next: 'RequestApproval', when: (v) => step(v)?.type === 'Approval' },
  ],
  OnApprovalTimeout: [
    { next: 'NextStep', assigns: true, when: (v, input) => input?.decided && input?.approved },
    { next: 'Rollback', assigns: true, when: (v, input) => input?.decided },
    { next: 'NextStep', assigns: true, when: (v) => step(v)?.onTimeout === 'promote' },
  ],
  RunHook: [{ next: 'AwaitHookCallback', when: (v) => v.hook?.callback === true }],
  HookAnswered: [
    { next: 'NextStep', assigns: true, when: () => { throw new Unsupported('hooks are not transliterated'); } },
    { next: 'FinalBake', when: () => { throw new Unsupported('hooks are not transliterated'); } },
    { next: 'CheckHealth', when: () => { throw new Unsupported('hooks are not transliterated'); } },
  ],
  AfterSettling: [{ next: 'FinalBake', when: (v, input) => input?.weight === 100 }],
  AfterPromote: [
    { next: 'Settle', when: (v) => isObject(v.propagation) && v.rollout.finalBakeSeconds > 0 },
    { next: 'RunHook', assigns: true, when: (v) => isObject(v.rollout.hooks?.postTraffic) },
    { next: 'FinalBake', when: (v) => v.rollout.finalBakeSeconds > 0 },
  ],
};

// Each Wait state's Timestamp, as JSONata read it from $states.input, and the JSONPath that reads the same field of
// the payload the task before it answered.
const WAITS = { AwaitCachedAnswers: { timestamp: '{% $states.input.settledAt %}', path: '$.out.settledAt' } };

/** Throws when the definition's Assign fields, Choice rules or Wait timestamps differ from the tables above. */
export function checkDefinition(def) {
  const problems = [];
  for (const [name, s] of Object.entries(def.States)) {
    if (s.Type === 'Task') {
      const keys = Object.keys(s.Assign ?? {}).sort().join(',');
      const ours = ASSIGN[name] ? Object.keys(ASSIGN[name]({ stepIndex: 0, rollout: { preparedAt: '' } },
        { rollout: { preparedAt: '' } })).sort().join(',') : '';
      if (keys !== ours) problems.push(`${name} assigns [${keys}], the transliteration [${ours}]`);
    } else if (s.Type === 'Choice') {
      const rules = CHOICES[name];
      if (!rules) { problems.push(`Choice ${name} has no rules here`); continue; }
      const theirs = s.Choices.map((c) => `${c.Next}${c.Assign ? '+Assign' : ''}`).join(',');
      const ours = rules.map((r) => `${r.next}${r.assigns ? '+Assign' : ''}`).join(',');
      if (theirs !== ours) problems.push(`Choice ${name} goes to [${theirs}], the transliteration to [${ours}]`);
    } else if (s.Type === 'Wait') {
      const wait = WAITS[name];
      const theirs = JSON.stringify({ Timestamp: s.Timestamp, Seconds: s.Seconds });
      if (!wait || theirs !== JSON.stringify({ Timestamp: wait.timestamp })) {
        problems.push(`Wait ${name} waits ${theirs}, the transliteration ${wait ? wait.timestamp : 'not at all'}`);
      }
    } else if (!['Pass', 'Succeed', 'Fail'].includes(s.Type)) {
      problems.push(`${name}: a ${s.Type} state is not transliterated`);
    }
  }
  if (problems.length) throw new Error('the definition changed; adapt transliteration.mjs:\n  ' + problems.join('\n  '));
}

const routeIndex = (rules, v, input) => {
  for (let i = 0; i < rules.length; i++) {
    if (rules[i].when(v, input)) return i;
  }
  return -1;
};

/** vars.routes: for each Choice state, the rule that matches these variables and input ('default' when none). */
function routes(v, input) {
  const out = {};
  for (const [choice, rules] of Object.entries(CHOICES)) {
    let i;
    try { i = routeIndex(rules, v, input); } catch (e) { if (e instanceof Unsupported) { out[choice] = 'unsupported'; continue; } throw e; }
    out[choice] = i < 0 ? 'default' : rules[i].assigns ? 'unsupported' : 'rule' + i;
  }
  return out;
}

/** The JSONPath definition for aws-local-stepfunctions. */
export function toJsonPath(def) {
  checkDefinition(def);
  const out = { Comment: 'JSONPath transliteration of statemachine/rollout.asl.json for aws-local-stepfunctions', StartAt: def.StartAt, States: {} };
  for (const [name, s] of Object.entries(def.States)) {
    const t = { Type: s.Type };
    if (s.Type === 'Task') {
      // Every task is answered by its stub (the waits for a task token included); TimeoutSeconds is an expression.
      t.Resource = 'arn:aws:states:::lambda:invoke';
      t.Parameters = { FunctionName: s.Arguments.FunctionName, Payload: name === 'Prepare' ? { 'input.$': '$' } : { 'vars.$': '$.vars' } };
      t.ResultSelector = { 'vars.$': '$.Payload.vars', 'out.$': '$.Payload.out' };
      // ResultPath omitted: the spec's default "$" (aws-local-stepfunctions 3.0.0 reads an explicit "$" as a key "$").
      if (s.Retry) t.Retry = s.Retry;
      if (s.Catch) {
        t.Catch = s.Catch.map((c) => {
          const assigned = Object.keys(c.Assign ?? {});
          const errorOutput = assigned.length === 1 && c.Assign[assigned[0]] === '{% $states.errorOutput %}';
          // A catch that assigns nothing keeps the state's input (ResultPath null); one that computes is not ours to do.
          return { ErrorEquals: c.ErrorEquals, Next: c.Next, ResultPath: errorOutput ? FAILURE_ASSIGNS[assigned[0]] : null };
        });
      }
      if (s.Next) t.Next = s.Next; else t.End = true;
    } else if (s.Type === 'Choice') {
      t.Choices = s.Choices.map((c, i) => ({ Variable: `$.vars.routes.${name}`, StringEquals: 'rule' + i, Next: c.Next }));
      t.Choices.push({ Variable: `$.vars.routes.${name}`, StringEquals: 'unsupported', Next: NOT_TRANSLITERATED });
      t.Default = s.Default;
    } else if (s.Type === 'Wait') {
      t.TimestampPath = WAITS[name].path;
      t.Next = s.Next;
    } else if (s.Type === 'Pass') {
      t.Result = { Error: s.Assign.failure.Error, Cause: 'as the definition words it' };
      t.ResultPath = '$.vars.failure';
      t.Next = s.Next;
    } else if (s.Type === 'Succeed') {
      t.OutputPath = '$.vars.rollout';
    } else if (s.Type === 'Fail') {
      if (s.Error === '{% $failure.Error %}') t.ErrorPath = '$.vars.failure.Error'; else t.Error = s.Error;
      t.Cause = 'see the execution history';
    }
    out.States[name] = t;
  }
  out.States[NOT_TRANSLITERATED] = { Type: 'Fail', Error: 'Transliteration.Unsupported', Cause: 'a Choice rule with an Assign' };
  return out;
}

/** "arn:...:function:rollout-ShiftTrafficFunction" -> "ShiftTraffic", as the executor's side names the functions. */
export const functionOf = (state) => state.Arguments.FunctionName.replace(/^.*:rollout-/, '').replace(/Function$/, '');

/**
 * Overrides for StateMachine.run: each Task answered by the payload its function returned in a real rollout
 * (payloads, by function), its Assign applied; the calls a case lists fail instead, as Lambda names the error.
 * calls counts each function's invocations (retries included), as the executor's side does. A stub that meets what
 * is not transliterated records it in problems (and fails its task).
 */
export function overrides(def, payloads, failures = [], problems = []) {
  const calls = {};
  const taskResourceLocalHandlers = {};
  const retryIntervalOverrides = {};
  for (const [name, s] of Object.entries(def.States)) {
    if (s.Type !== 'Task') continue;
    const fn = functionOf(s);
    retryIntervalOverrides[name] = 0;
    taskResourceLocalHandlers[name] = async (input) => {
      calls[fn] = (calls[fn] ?? 0) + 1;
      const failure = failures.find((f) => f.function === fn && f.call === calls[fn]);
      if (failure) throw Object.assign(new Error(failure.cause), { name: failure.error });
      if (!(fn in payloads)) {
        problems.push(`no recorded payload for ${fn} (state ${name})`);
        throw new Unsupported(problems.at(-1));
      }
      const p = structuredClone(payloads[fn]);
      const before = name === 'Prepare' ? {} : input.Payload.vars;
      const vars = { ...before, ...(ASSIGN[name] ? ASSIGN[name](before, p) : {}) };
      vars.routes = routes(vars, p);
      return { ExecutedVersion: '$LATEST', Payload: { vars, out: p }, StatusCode: 200 };
    };
  }
  return { taskResourceLocalHandlers, retryIntervalOverrides };
}

/** The definition as the executor's side loads it: placeholders replaced by the functions' ARNs. */
export function readDefinition(text) {
  return JSON.parse(text.replace(/\$\{([A-Za-z0-9_]+)\}/g,
    (m, name) => `arn:aws:lambda:us-east-1:123456789012:function:rollout-${name.replace(/Arn$/, '')}`));
}
