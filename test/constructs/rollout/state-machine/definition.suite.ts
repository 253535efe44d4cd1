import { STEP_SETTINGS } from '../../../../lambda/shared/step-settings';
import { ALL_THROTTLING_ERROR_NAMES } from '../../../../rehearsal/simulator';
import type { ImmutableStack } from '../../../../lib/stacks/immutable-stack';
import { shippedProduct } from '../../../support/shipped-product';
import type { TestApp } from '../../../support/synth';
import {
  normalSuccessors,
  reachable,
  rendered,
  rolloutDefinition,
  statesOnCycles,
  successors,
} from '../rollout-template';
import type { AslDefinition, AslState, Retrier } from '../rollout-template';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];

/** The Lambda errors Step Functions recommends retrying on every Lambda task. @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
/** The SNS integration's own names for throttling (Step Functions prefixes the service). */
const SNS_INTEGRATION_THROTTLING = ['SNS.ThrottledException', 'SNS.KMSThrottlingException'];

const ACQUIRE = 'Acquire Lock';
const VALIDATE = 'Validate Input';
const COMPENSATE = 'Return Traffic To Last Good Fleet';
const FINISH = 'Record Outcome';

let app: TestApp;
const stacks = {} as Record<Env, ImmutableStack>;
const defs = {} as Record<Env, AslDefinition>;

beforeAll(() => {
  app = shippedProduct();
  for (const env of ENVS) {
    const stack = app.stack(env);
    stacks[env] = stack;
    defs[env] = rolloutDefinition(stack, app.template(env));
  }
});
afterAll(() => app.cleanup());

const statesOf = (def: AslDefinition, type?: string): [string, AslState][] =>
  Object.entries(def.States).filter(([, s]) => type === undefined || s.Type === type);
const SNS_PUBLISH = 'arn:${AWS::Partition}:states:::sns:publish';
const isSnsTask = (s: AslState) => s.Type === 'Task' && s.Resource === SNS_PUBLISH;
/** Lambda tasks name their function directly (payloadResponseOnly). */
const functionArns = (env: Env) =>
  new Set(stacks[env].rollout.functions.all().map((fn) => rendered(stacks[env], fn.functionArn)));
const isLambdaTask = (env: Env, s: AslState) =>
  s.Type === 'Task' && functionArns(env).has(String(s.Resource));

describe('definition language', () => {
  /** Every key of the definition outside payloads (Parameters hold data, not language). */
  const languageKeys = (value: unknown, path: string[] = []): string[][] => {
    if (Array.isArray(value)) return value.flatMap((v, i) => languageKeys(v, [...path, String(i)]));
    if (typeof value !== 'object' || value === null) return [];
    return Object.entries(value).flatMap(([k, v]) => [
      [...path, k],
      ...(k === 'Parameters' ? [] : languageKeys(v, [...path, k])),
    ]);
  };

  it.each(ENVS)('%s: JSONPath only, no JSONata states and no Variables', (env) => {
    const keys = languageKeys(defs[env]);
    expect(keys.length).toBeGreaterThan(100);
    const offending = keys.filter((p) =>
      ['QueryLanguage', 'Assign', 'Arguments', 'Output'].includes(p[p.length - 1] as string),
    );
    expect(offending).toEqual([]);
  });

  it.each(ENVS)('%s: state names read as sentences, questions for choices', (env) => {
    for (const [name, state] of statesOf(defs[env])) {
      // Title-cased words; 80 characters is the service's limit for a state name.
      // @see https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
      expect(name).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]*)+\??$/);
      expect(name.length).toBeLessThanOrEqual(80);
      expect({ name, question: name.endsWith('?') }).toEqual({ name, question: state.Type === 'Choice' });
    }
  });
});

describe('retries', () => {
  const retriersFor = (state: AslState, error: string): Retrier[] =>
    (state.Retry ?? []).filter((r) => r.ErrorEquals.includes(error));

  it.each(ENVS)('%s: every task retries every throttling error the simulator raises', (env) => {
    const tasks = statesOf(defs[env], 'Task');
    expect(tasks.length).toBeGreaterThan(10);
    for (const [name, state] of tasks) {
      const uncovered = ALL_THROTTLING_ERROR_NAMES.filter(
        (e) => retriersFor(state, e).length === 0 && retriersFor(state, 'States.ALL').length === 0,
      );
      expect({ name, uncovered }).toEqual({ name, uncovered: [] });
    }
  });

  it.each(ENVS)('%s: every Lambda task retries the Lambda service errors', (env) => {
    const tasks = statesOf(defs[env]).filter(([, s]) => isLambdaTask(env, s));
    expect(tasks.length).toBeGreaterThan(10);
    for (const [name, state] of tasks) {
      const uncovered = LAMBDA_SERVICE_ERRORS.filter((e) => retriersFor(state, e).length === 0);
      expect({ name, uncovered }).toEqual({ name, uncovered: [] });
    }
  });

  it.each(ENVS)("%s: the notification retries the SNS integration's throttling", (env) => {
    const sns = statesOf(defs[env]).filter(([, s]) => isSnsTask(s));
    expect(sns.map(([name]) => name)).toEqual(['Notify Outcome']);
    const [, state] = sns[0] as [string, AslState];
    for (const error of SNS_INTEGRATION_THROTTLING) expect(retriersFor(state, error)).toHaveLength(1);
  });

  it.each(ENVS)('%s: retries back off exponentially with full jitter', (env) => {
    for (const [name, state] of statesOf(defs[env], 'Task')) {
      for (const retrier of state.Retry ?? []) {
        expect({ name, retrier }).toEqual({
          name,
          retrier: expect.objectContaining({
            BackoffRate: expect.any(Number) as number,
            JitterStrategy: 'FULL',
            MaxAttempts: expect.any(Number) as number,
          }) as Retrier,
        });
        expect(retrier.BackoffRate).toBeGreaterThanOrEqual(2);
        // A function timeout is retried twice (each attempt may last the whole function timeout).
        const timeout = retrier.ErrorEquals.includes('Sandbox.Timedout');
        expect({ name, attempts: timeout || (retrier.MaxAttempts ?? 3) >= 3 }).toEqual({
          name,
          attempts: true,
        });
        if (timeout) expect(retrier.MaxAttempts).toBe(2);
      }
    }
  });

  it.each(ENVS)(
    '%s: no task retries every error (real failures go to compensation), but the way back itself',
    (env) => {
      const retryingAll = statesOf(defs[env], 'Task')
        .filter(([, state]) => (state.Retry ?? []).some((r) => r.ErrorEquals.includes('States.ALL')))
        .map(([name]) => name);
      // Its calls set a state, so a repeat is harmless; giving up early would leave traffic where it failed.
      expect(retryingAll.sort()).toEqual([
        'All Traffic To Blue',
        'All Traffic To Green',
        'Scale Blue Canary To Zero',
        'Scale Green Canary To Zero',
      ]);
    },
  );
});

describe('error handling', () => {
  /** Tasks that run once the lock is held: reachable from Acquire Lock's success path. */
  const tasksAfterLock = (def: AslDefinition) =>
    [...reachable(def, normalSuccessors(def.States[ACQUIRE] as AslState))].filter(
      (n) => def.States[n]?.Type === 'Task',
    );

  it.each(ENVS)(
    '%s: every task after Acquire Lock catches everything into compensation or the finishing chain',
    (env) => {
      const def = defs[env];
      const finishing = reachable(def, [COMPENSATE]);
      expect(finishing).toContain(FINISH);
      const tasks = tasksAfterLock(def);
      expect(tasks).toEqual(expect.arrayContaining(['Restore Safe State', 'Start Refresh', 'Shift Traffic']));
      for (const name of tasks) {
        const catchAll = (def.States[name]?.Catch ?? []).filter((c) => c.ErrorEquals.includes('States.ALL'));
        expect({ name, catchers: catchAll.length }).toEqual({ name, catchers: 1 });
        const target = catchAll[0]?.Next as string;
        expect({ name, target, ok: target !== name && finishing.has(target) }).toEqual({
          name,
          target,
          ok: true,
        });
      }
    },
  );

  it.each(ENVS)('%s: tasks that change the fleet compensate before finishing', (env) => {
    const def = defs[env];
    const finishing = reachable(def, [COMPENSATE]);
    const changing = tasksAfterLock(def).filter((n) => !finishing.has(n));
    expect(changing.length).toBeGreaterThan(8);
    for (const name of changing) {
      const target = def.States[name]?.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next;
      expect({ name, target }).toEqual({ name, target: COMPENSATE });
    }
  });

  it.each(ENVS)('%s: a caught error is added to the document, never replaces it', (env) => {
    for (const [name, state] of statesOf(defs[env])) {
      for (const c of state.Catch ?? []) {
        expect({ name, resultPath: c.ResultPath }).toEqual({
          name,
          resultPath: expect.stringMatching(/^\$\.[a-zA-Z]+$/) as string,
        });
      }
    }
  });

  it.each(ENVS)('%s: every Fail state reports the caught error and cause', (env) => {
    const fails = statesOf(defs[env], 'Fail');
    expect(fails.map(([n]) => n)).toEqual(
      expect.arrayContaining(['Rollout Failed', 'Reject Input', 'Refuse Concurrent Rollout']),
    );
    // The Fails with a fixed error: a finished rollout whose lock could not be released, or
    // whose previous colour could not be retired, ends failed so the lock janitor, which hears
    // only of failed executions, frees the fleet or restores it.
    const fixed: Record<string, string> = {
      'Lock Not Released': 'LockNotReleased',
      'Retirement Failed': 'RetirementFailed',
    };
    for (const [name, error] of Object.entries(fixed))
      expect(fails.find(([n]) => n === name)?.[1]).toMatchObject({ Error: error });
    for (const [name, state] of fails.filter(([n]) => !(n in fixed))) {
      expect({ name, error: state.ErrorPath, cause: state.CausePath }).toEqual({
        name,
        error: '$.error.Error',
        cause: '$.error.Cause',
      });
    }
  });

  it.each(ENVS)(
    '%s: every rollout puts the idle colour to rest, by the record it finished with, before it unlocks',
    (env) => {
      const def = defs[env];
      const rest = def.States['Put Idle Colour To Rest'] as AslState;
      expect(def.States[FINISH]?.Next).toBe('Put Idle Colour To Rest');
      expect(rest.Next).toBe('Announce Release');
      expect(rest.Catch).toEqual([
        expect.objectContaining({
          ErrorEquals: ['States.ALL'],
          Next: 'Announce Release',
          ResultPath: '$.restError',
        }),
      ]);
      expect(rest.Parameters).toMatchObject({ 'fleet.$': '$.finished.fleet' });
      expect(reachable(def, ['Put Idle Colour To Rest'])).toContain('Release Lock');
    },
  );

  it.each(ENVS)(
    '%s: every rollout, not only a release, announces a release the record has not announced yet',
    (env) => {
      const def = defs[env];
      const announce = def.States['Announce Release'] as AslState;
      expect(def.States['Promote Release']?.Next).toBe(FINISH);
      expect(reachable(def, [FINISH])).toContain('Announce Release');
      expect(reachable(def, [COMPENSATE])).toContain('Announce Release');
      expect(announce.Resource).toBe(
        rendered(stacks[env], stacks[env].rollout.functions.get('announce-release').functionArn),
      );
      // the release is read from the fleet record (in the function's own table), not from the document
      expect(announce.Parameters).toEqual({
        'execution.$': '$.execution',
        'dryRun.$': '$.request.dryRun',
      });
      expect(announce.Next).toBe('Notify Outcome');
      // the announcement is bookkeeping: a failure is reported, never turned into a failed rollout
      expect(announce.Catch).toEqual([
        expect.objectContaining({
          ErrorEquals: ['States.ALL'],
          Next: 'Notify Outcome',
          ResultPath: '$.announceError',
        }),
      ]);
    },
  );

  it('no state tags images any more: the image factory tags what each environment announces', () => {
    for (const env of ENVS) {
      expect(Object.keys(defs[env].States).filter((n) => /\bTag/i.test(n))).toEqual([]);
    }
  });

  it.each(ENVS)('%s: a failed rollout still ends in the Fail state after the finishing chain', (env) => {
    expect(reachable(defs[env], [COMPENSATE])).toContain('Rollout Failed');
  });
});

describe('instant rollback', () => {
  it.each(ENVS)('%s: checks the warm colour is healthy before it flips any traffic to it', (env) => {
    const def = defs[env];
    const route = def.States['What Does The Plan Say?'] as {
      Choices: Array<{ StringEquals?: string; Next: string }>;
    };
    expect(route.Choices.find((c) => c.StringEquals === 'flip')?.Next).toBe('Check Warm Colour Health');
    const check = def.States['Check Warm Colour Health'] as AslState;
    expect(check.Parameters).toMatchObject({
      progress: {
        'deadline.$': '$.plan.healthyBy',
        'capacity.$': '$.plan.capacity',
        'version.$': '$.plan.version',
      },
    });
    expect(check.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next).toBe(COMPENSATE);
    expect(def.States['Warm Colour Healthy?']).toMatchObject({
      Choices: [{ Variable: '$.warmCheck.ready', BooleanEquals: true, Next: 'Flip Traffic Back' }],
      Default: 'Warm Colour Not Healthy',
    });
    expect(def.States['Warm Colour Not Healthy']).toMatchObject({
      Result: { Error: 'CanaryUnhealthy' },
      ResultPath: '$.error',
      Next: COMPENSATE,
    });
  });
});

describe('input validation', () => {
  it.each(ENVS)('%s: no task but Validate Input runs before the input is validated', (env) => {
    const def = defs[env];
    expect(def.StartAt).toBe('Load Settings');
    const beforeValidation = reachable(def, [def.StartAt], { stopAt: [VALIDATE] });
    expect([...beforeValidation].filter((n) => def.States[n]?.Type === 'Task')).toEqual([VALIDATE]);
  });

  it.each(ENVS)('%s: valid input goes to Acquire Lock; InvalidInput fails with nothing changed', (env) => {
    const validate = defs[env].States[VALIDATE] as AslState;
    expect(validate.Next).toBe(ACQUIRE);
    const invalid = validate.Catch?.find((c) => c.ErrorEquals.includes('InvalidInput'));
    expect(defs[env].States[invalid?.Next as string]?.Type).toBe('Fail');
    for (const c of validate.Catch ?? []) expect(defs[env].States[c.Next]?.Type).toBe('Fail');
  });

  it.each(ENVS)('%s: a concurrent rollout is refused before anything changes', (env) => {
    const acquire = defs[env].States[ACQUIRE] as AslState;
    const refused = acquire.Catch?.find((c) => c.ErrorEquals.includes('RolloutInProgress'));
    expect(refused?.Next).toBe('Refuse Concurrent Rollout');
    for (const c of acquire.Catch ?? []) expect(defs[env].States[c.Next]?.Type).toBe('Fail');
  });
});

describe('polling', () => {
  const polls = (def: AslDefinition) => statesOf(def, 'Wait').filter(([, s]) => s.SecondsPath);

  it.each(ENVS)('%s: refresh and canary health are polled, each waiting as long as the step asks', (env) => {
    expect(polls(defs[env]).map(([n, s]) => [n, s.SecondsPath])).toEqual([
      // a refresh the restore cancelled, or found rolling back, until it has stopped
      ['Wait For Refresh To Stop', '$.restored.waitSeconds'],
      // a canary step, judged every CANARY_CHECK_SECONDS while it bakes
      ['Bake Step', '$.progress.waitSeconds'],
      ['Wait For Canary Instances', '$.progress.waitSeconds'],
      ['Wait For Refresh', '$.progress.waitSeconds'],
      // a replace's replacements, until healthy, then the replaced instances, until drained
      ['Wait For Replacements', '$.progress.waitSeconds'],
      // the warm colour's retirement, while another execution holds the fleet
      ['Wait For The Fleet To Retire', '$.retired.waitSeconds'],
    ]);
  });

  it.each(ENVS)('%s: each poll is Wait → Task → Choice → back to the Wait', (env) => {
    const def = defs[env];
    for (const [wait, state] of polls(def)) {
      const task = def.States[state.Next as string] as AslState;
      expect(task.Type).toBe('Task');
      const choice = def.States[task.Next as string] as AslState;
      expect(choice.Type).toBe('Choice');
      expect(successors(choice)).toContain(wait);
    }
  });

  it.each(ENVS)('%s: every loop waits (no busy loop)', (env) => {
    const def = defs[env];
    expect(statesOnCycles(def, () => false).length).toBeGreaterThan(0);
    expect(statesOnCycles(def, (s) => s.Type === 'Wait')).toEqual([]);
  });

  it.each(ENVS)('%s: each canary step bakes for canary.bakeSeconds, judged on the way', (env) => {
    // the judge reads the bake from its own settings and keeps the step baking until it is over
    expect(stacks[env].rollout.settings.canary.bakeSeconds).toBe(
      stacks[env].config.rollout.canary.bakeSeconds,
    );
    expect(STEP_SETTINGS['judge-canary']).toContain('canary');
    expect(defs[env].States['Bake Step']).toMatchObject({ Type: 'Wait', Next: 'Judge Step' });
    expect(successors(defs[env].States['More Steps?'] as AslState)).toContain('Bake Step');
  });
});
