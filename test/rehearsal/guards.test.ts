import { Rehearsal } from '../../rehearsal/runner';
import { SimulatedDeployment } from '../../rehearsal/deployment';
import type { CfnTemplate } from '../../rehearsal/deployment';
import type { AslDefinition } from '../../rehearsal/asl';
import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';
import {
  canary,
  endSnapshot,
  expectKnownEndState,
  fleetChanges,
  fleetRecordOf,
  announcedReleases,
  ledgerOf,
  lockOf,
  NEW,
  RELEASED,
  scenario,
  statesEntered,
} from './support';

let templates: ReturnType<typeof synthesizedTemplates>;
let session: RehearsalSession;
beforeAll(() => {
  templates = synthesizedTemplates();
  session = new RehearsalSession(templates);
});

const dev = () => session.rehearsal('dev');

describe('invalid execution input', () => {
  it.each([
    ['a typo in a field name', { action: 'canary', imgeId: NEW }, '"imgeId" is not a known field'],
    ['a malformed AMI id', { action: 'canary', imageId: 'ami-12345' }, 'imageId must be an AMI id'],
    [
      'an unknown action',
      { action: 'deploy' },
      'action must be "phoenix", "canary", "rollback", "restore" or "replace", got "deploy"',
    ],
    ['a wrong type', { action: 'phoenix', dryRun: 'yes' }, 'dryRun must be true or false, got "yes"'],
    [
      'an extra field',
      { action: 'phoenix', force: true, region: 'eu-west-1' },
      '"region" is not a known field',
    ],
    ['an image for a phoenix', { action: 'phoenix', imageId: NEW }, 'imageId is only accepted for a canary'],
    ['a canary without an image', { action: 'canary' }, 'imageId is required for a canary'],
    ['not an object', 'phoenix', 'input must be a JSON object'],
  ])('fails InvalidInput for %s, naming the field, before any AWS call', async (_, input, message) => {
    const run = await dev().run(scenario({ input }));
    expect(run.result).toMatchObject({
      status: 'FAILED',
      error: 'InvalidInput',
      floorSeconds: 0,
      instancesReplaced: 0,
      live: { image: RELEASED, weights: { blue: 100, green: 0 } },
    });
    expect(run.result.cause).toContain(message);
    // refused before the lock: no AWS call at all, no ledger entry, no notification
    expect(run.result.apiCalls).toEqual({});
    expect(ledgerOf(run, dev().settings)).toEqual([]);
    expect(run.notifications).toEqual([]);
    expect(statesEntered(run).at(-1)).toBe('Reject Input');
  });
});

describe('dry run', () => {
  it.each([
    ['canary', canary(NEW, { dryRun: true }), 'canary ami-0b2b2b2b2b2b2b2b2 on green with 4 instances'],
    [
      'phoenix',
      { action: 'phoenix', force: true, dryRun: true },
      'replace 4 instances of immutable-dev-blue',
    ],
  ])('of a %s reports the plan and changes nothing', async (_, input, plan) => {
    const run = await dev().run(scenario({ input }));
    expect(run.result).toMatchObject({ status: 'SUCCEEDED', floorSeconds: 0, instancesReplaced: 0 });
    expect(fleetChanges(run)).toEqual({});
    expect(run.notifications.map((n) => n.subject)).toEqual([`[dev] ${String(input.action)} DRY_RUN`]);
    expect(run.notifications[0]?.message).toContain(`Plan: ${plan}`);
    expect(ledgerOf(run, dev().settings)).toEqual([
      expect.objectContaining({ status: 'DRY_RUN', plan: expect.stringContaining(plan) as string }),
    ]);
    expectKnownEndState(run, dev());
  });

  it('of a rollback reports the instant flip it would make', async () => {
    const staging = session.rehearsal('staging');
    const run = await staging.run(
      scenario({
        environment: 'staging',
        fleet: { instances: 4, previousImage: 'ami-0c3c3c3c3c3c3c3c3', previousColourWarm: true },
        input: { action: 'rollback', dryRun: true },
      }),
    );
    expect(fleetChanges(run)).toEqual({});
    expect(run.notifications[0]?.message).toContain(
      'Plan: instant rollback: green still runs ami-0c3c3c3c3c3c3c3c3',
    );
    expect(endSnapshot(run).weights).toEqual({ blue: 100, green: 0 });
  });
});

describe('one rollout at a time', () => {
  const withSecond = (atSecond: number, input: unknown) =>
    scenario({
      fleet: { instances: 4, ageDays: 10 },
      input: { action: 'phoenix' },
      faults: [{ atSecond, kind: 'second-execution', input }],
    });

  it('refuses a second execution with RolloutInProgress, naming the holder, without disturbing the first', async () => {
    const alone = await dev().run(
      scenario({ fleet: { instances: 4, ageDays: 10 }, input: { action: 'phoenix' } }),
    );
    const run = await dev().run(withSecond(30, canary(NEW)));
    expect(run.result.secondExecution?.status).toBe('FAILED');
    expect(run.result.secondExecution?.error).toBe('RolloutInProgress');
    expect(run.result.secondExecution?.cause).toContain(
      'fleet dev is locked by arn:aws:states:eu-west-1:123456789012:execution:immutable-dev-rollout:rehearsal-main (phoenix since',
    );
    // the first one ran exactly as it would have alone
    const {
      apiCalls: _a,
      transitions: _t,
      lambdaInvocations: _l,
      secondExecution: _s,
      ...mainOutcome
    } = run.result;
    const { apiCalls: _b, transitions: _u, lambdaInvocations: _m, ...aloneOutcome } = alone.result;
    expect(mainOutcome).toEqual(aloneOutcome);
    // the refused one only tried the lock: one conditional put, one read of the holder
    const extra = Object.fromEntries(
      Object.entries(run.result.apiCalls)
        .map(([k, v]) => [k, v - (alone.result.apiCalls[k] ?? 0)] as const)
        .filter(([, v]) => v !== 0),
    );
    expect(extra).toEqual({ PutItem: 1, GetItem: 1 });
    expect(statesEntered(run, 'second')).toEqual([
      'Load Settings',
      'Validate Input',
      'Acquire Lock',
      'Refuse Concurrent Rollout',
    ]);
    expect(ledgerOf(run, dev().settings)).toHaveLength(1);
    expectKnownEndState(run, dev());
  });

  it('lets the next rollout start once the first has released the lock', async () => {
    const run = await dev().run(withSecond(600, canary(NEW)));
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.result.secondExecution).toEqual({ status: 'SUCCEEDED' });
    expect(run.result.live.image).toBe(NEW);
    expect(ledgerOf(run, dev().settings).map((e) => `${e.action} ${e.status}`)).toEqual([
      'phoenix SUCCEEDED',
      'canary SUCCEEDED',
    ]);
    expectKnownEndState(run, dev());
  });
});

describe('runs in one process', () => {
  it('run at once, each on its own world and clock, each as it would alone: nothing is process-wide', async () => {
    const [canaryAlone, phoenixAlone] = [
      await dev().run(scenario({ input: canary(NEW) })),
      await dev().run(scenario({ input: { action: 'phoenix', force: true } })),
    ];
    const [canaryTogether, phoenixTogether] = await Promise.all([
      dev().run(scenario({ input: canary(NEW) })),
      dev().run(scenario({ input: { action: 'phoenix', force: true } })),
    ]);
    expect(canaryTogether.result).toEqual(canaryAlone.result);
    expect(phoenixTogether.result).toEqual(phoenixAlone.result);
  });

  it('fails when a run after another starts on its world before that one ended, without moving the world', async () => {
    const previous = await dev().run(scenario({ input: canary(NEW) }));
    const ended = previous.simulator.snapshot().t;
    const next = dev().runAfter(previous, { afterSeconds: 60, input: { action: 'phoenix', force: true } });
    const refused = dev().runAfter(previous, { afterSeconds: 3600, input: { action: 'rollback' } });
    // read before anything awaits: only the first runAfter has moved the world
    expect(previous.simulator.snapshot().t).toBe(ended + 60);
    await expect(refused).rejects.toThrow(
      'cannot start rehearsal-main-3 on this world: rehearsal-main-2 is still running on it; await it first',
    );
    expect((await next).result.status).toBe('SUCCEEDED');
    // released at the end: the next run starts
    expect((await dev().run(scenario({ input: canary(NEW) }))).result.status).toBe('SUCCEEDED');
  });
});

describe('a stopped execution', () => {
  const stopped = (then: unknown[] = []) =>
    scenario({ input: canary(NEW), faults: [{ kind: 'stop', atTransition: 15 }, ...(then as never[])] });

  it('ends ABORTED mid-canary; the lock janitor frees its lock and restores the fleet it left split', async () => {
    const run = await dev().run(stopped());
    expect(run.result).toMatchObject({ status: 'ABORTED', error: 'States.Aborted' });
    expect(statesEntered(run).at(-1)).toBe('Judge Step');
    expect(lockOf(run, dev().settings)).toBeUndefined();
    // it ran none of its own cleanup; the janitor's restore, with no operator, did
    const split = run.timeline.filter((e) => e.execution === 'main').at(-1)?.snapshot.weights;
    expect(split).toEqual({ blue: 90, green: 10 });
    expect(run.result.automaticRestores).toEqual([{ status: 'SUCCEEDED' }]);
    expect(run.result.live).toMatchObject({
      image: RELEASED,
      weights: { blue: 100, green: 0 },
      instancesByImage: { [RELEASED]: 4 },
    });
    expect(ledgerOf(run, dev().settings)).toEqual([
      expect.objectContaining({ action: 'canary', status: 'ABANDONED' }),
      expect.objectContaining({ action: 'restore', trigger: 'recovery', status: 'SUCCEEDED' }),
    ]);
    expect(run.executions.recoveries).toEqual([expect.stringMatching(/:restore-after-rehearsal-main$/)]);
    expectKnownEndState(run, dev());
  });

  it('is stopped by its own transition count, whatever a second execution does meanwhile', async () => {
    const run = await dev().run(
      stopped([{ atSecond: 60, kind: 'second-execution', input: { action: 'phoenix' } }]),
    );
    expect(run.result.secondExecution?.error).toBe('RolloutInProgress');
    expect(run.timeline.filter((e) => e.execution === 'main' && e.kind !== 'caught')).toHaveLength(15);
    expect(statesEntered(run).at(-1)).toBe('Judge Step');
  });

  it('leaves a fleet the next execution finds restored, and runs through', async () => {
    const run = await dev().run(
      stopped([{ atSecond: 600, kind: 'second-execution', input: { action: 'phoenix', force: true } }]),
    );
    expect(run.result.status).toBe('ABORTED');
    expect(run.result.secondExecution).toEqual({ status: 'SUCCEEDED' });
    expect(run.result.live).toMatchObject({
      image: RELEASED,
      weights: { blue: 100, green: 0 },
      trafficByImage: { [RELEASED]: 100 },
      instancesByImage: { [RELEASED]: 4 },
    });
    expect(ledgerOf(run, dev().settings)).toEqual([
      expect.objectContaining({
        action: 'canary',
        status: 'ABANDONED',
        cause: expect.stringContaining('ended without recording an outcome') as string,
      }),
      expect.objectContaining({ action: 'restore', status: 'SUCCEEDED' }),
      expect.objectContaining({ action: 'phoenix', status: 'SUCCEEDED' }),
    ]);
    expectKnownEndState(run, dev());
  });

  it("mid-rotation leaves a refresh that the lock janitor's restore cancels, and waits out", async () => {
    const run = await dev().run(
      scenario({
        fleet: { instances: 4, ageDays: 10 },
        input: { action: 'phoenix' },
        faults: [{ kind: 'stop', atTransition: 10 }],
      }),
    );
    expect(run.result.status).toBe('ABORTED');
    expect(statesEntered(run).at(-1)).toBe('Wait For Refresh');
    expect(run.result.automaticRestores).toEqual([{ status: 'SUCCEEDED' }]);
    expect(run.result.apiCalls.CancelInstanceRefresh).toBe(1);
    expect(endSnapshot(run).refresh?.status).toBe('Cancelled');
    expect(lockOf(run, dev().settings)).toBeUndefined();
  });

  it("after it promoted, has its release announced by the lock janitor's restore, once", async () => {
    const promoted = statesEntered(await dev().run(scenario({ input: canary(NEW) }))).indexOf(
      'Promote Release',
    );
    const run = await dev().run(
      scenario({ input: canary(NEW), faults: [{ kind: 'stop', atTransition: promoted + 1 }] }),
    );
    expect(statesEntered(run).at(-1)).toBe('Promote Release');
    expect(run.result.automaticRestores).toEqual([{ status: 'SUCCEEDED' }]);
    expect(announcedReleases(run)).toEqual([
      expect.objectContaining({
        environment: 'dev',
        imageId: NEW,
        previousImage: RELEASED,
        action: 'canary',
      }),
    ]);
    expect(ledgerOf(run, dev().settings).map((e) => `${e.action} ${e.status}`)).toEqual([
      'canary SUCCEEDED',
      'restore SUCCEEDED',
    ]);
    // the next rollout finds it announced and announces nothing again
    const later = await dev().runAfter(run, { input: { action: 'restore' } });
    expect(announcedReleases(later)).toHaveLength(1);
  });

  it('is restored at most three times an hour; then a person is alarmed, and a dry run changes nothing', async () => {
    const stoppedRotation = {
      input: { action: 'phoenix', force: true },
      faults: [{ kind: 'stop' as const, atTransition: 10 }],
    };
    let run = await dev().run(scenario({ fleet: { instances: 4, ageDays: 10 }, ...stoppedRotation }));
    for (let i = 0; i < 2; i++) run = await dev().runAfter(run, { afterSeconds: 60, ...stoppedRotation });
    // the fourth stop within the hour: the janitor leaves it, and a dry run comes meanwhile
    run = await dev().runAfter(run, {
      afterSeconds: 60,
      ...stoppedRotation,
      faults: [
        ...stoppedRotation.faults,
        { atSecond: 60, kind: 'second-execution', input: { action: 'phoenix', dryRun: true } },
      ],
    });
    expect(ledgerOf(run, dev().settings).map((e) => `${e.action} ${e.status}`)).toEqual([
      'phoenix ABANDONED',
      'restore SUCCEEDED',
      'phoenix ABANDONED',
      'restore SUCCEEDED',
      'phoenix ABANDONED',
      'restore SUCCEEDED',
      'phoenix ABANDONED',
      'phoenix DRY_RUN',
    ]);
    expect(run.result.automaticRestores).toBeUndefined();
    expect(run.result.secondExecution).toEqual({ status: 'SUCCEEDED' });
    // the stopped run's refresh goes on; the dry run neither cancels it nor publishes anything
    expect(run.result.apiCalls.CancelInstanceRefresh).toBeUndefined();
    expect(run.result.apiCalls.PutParameter).toBeUndefined();
  });
});

describe('the runner refuses a definition it cannot execute faithfully', () => {
  /** The dev template with its state machine definition changed by `edit`. */
  function editedDefinition(edit: (definition: AslDefinition) => void): CfnTemplate {
    const template = structuredClone(templates.dev);
    // Deployed as the rehearsal deploys it (its stack's name makes the functions' ARNs).
    const deployment = new SimulatedDeployment(template, { stackName: 'immutable-dev' });
    const [id] = deployment.ofType('AWS::StepFunctions::StateMachine');
    const definition = JSON.parse(String(deployment.properties(id ?? '').DefinitionString)) as AslDefinition;
    edit(definition);
    const resource = template.Resources[id ?? ''] as { Properties: Record<string, unknown> };
    resource.Properties = { ...resource.Properties, DefinitionString: JSON.stringify(definition) };
    return template;
  }
  const state = (d: AslDefinition, name: string) => d.States[name] as Record<string, unknown>;

  it('accepts the definition every environment synthesizes', () => {
    for (const env of ['dev', 'staging', 'prod'] as const)
      expect(() => Rehearsal.fromTemplate(env, templates[env])).not.toThrow();
  });

  it.each([
    [
      'a JSONata definition',
      (d: AslDefinition) => (d.QueryLanguage = 'JSONata'),
      'the definition uses JSONata, which the local interpreter does not evaluate',
    ],
    [
      'a JSONata state',
      (d: AslDefinition) => Object.assign(state(d, 'Plan Rollout'), { QueryLanguage: 'JSONata' }),
      'state "Plan Rollout" uses JSONata',
    ],
    [
      'JSONata Arguments',
      (d: AslDefinition) => Object.assign(state(d, 'Record Start'), { Arguments: { op: 'start' } }),
      'state "Record Start" uses JSONata',
    ],
    [
      'a JSONata expression in a JSONPath state',
      (d: AslDefinition) =>
        Object.assign(state(d, 'Load Settings'), { Parameters: { 'input.$': '$', at: '{% $now() %}' } }),
      'state "Load Settings" contains a JSONata expression',
    ],
    [
      'state Variables',
      (d: AslDefinition) => Object.assign(state(d, 'Acquire Lock'), { Assign: { owner: '$.lock.owner' } }),
      'state "Acquire Lock" assigns Variables, which the local interpreter ignores',
    ],
    [
      'a Task resource the rehearsal has no mapping for',
      (d: AslDefinition) =>
        Object.assign(state(d, 'Record Start'), { Resource: 'arn:aws:states:::dynamodb:putItem' }),
      'state "Record Start" calls arn:aws:states:::dynamodb:putItem, which the rehearsal has no mapping for',
    ],
    [
      'a presence test for false, which the interpreter never passes',
      (d: AslDefinition) =>
        Object.assign(state(d, 'Fleet Settled?'), {
          Choices: [{ Variable: '$.restored.waitSeconds', IsPresent: false, Next: 'Plan Rollout' }],
        }),
      'state "Fleet Settled?" tests IsPresent: false, which the local interpreter evaluates as never true',
    ],
    [
      'an AWS SDK integration the rehearsal does not run',
      (d: AslDefinition) =>
        Object.assign(state(d, 'Record Start'), {
          Resource: 'arn:aws:states:::aws-sdk:elasticloadbalancingv2:deleteListener',
        }),
      'state "Record Start" calls arn:aws:states:::aws-sdk:elasticloadbalancingv2:deleteListener, which the rehearsal has no mapping for',
    ],
    [
      'Variables nested in a Map',
      (d: AslDefinition) =>
        (d.States['Fan Out'] = {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            StartAt: 'Each',
            States: { Each: { Type: 'Pass', End: true, Assign: { n: 1 } } },
          },
        }),
      'state "Each" assigns Variables',
    ],
  ])('fails when the definition has %s', (_, edit, message) => {
    const template = editedDefinition(edit);
    expect(() => Rehearsal.fromTemplate('dev', template)).toThrow(
      expect.objectContaining({ name: 'UnfaithfulDefinition', message: expect.stringContaining(message) }),
    );
  });
});

describe('the fleet record a first rollout creates', () => {
  it('is bootstrapped from the runtime parameters a deploy seeded', async () => {
    const run = await dev().run(scenario({ input: { action: 'phoenix', dryRun: true } }));
    expect(fleetRecordOf(run, dev().settings)).toEqual({
      liveColour: 'blue',
      releasedImage: RELEASED,
      versions: { blue: '1', green: '1' },
      generation: 0,
    });
  });
});
