import {
  acquireLock,
  describeError,
  recordFinish,
  recordRelease,
  recordStart,
  releaseLock,
} from '../../../lambda/ledger/operations';
import type { FinishedDocument } from '../../../lambda/ledger/operations';
import type { LedgerEntry } from '../../../lambda/ledger/ports';
import { RolloutInProgress } from '../../../lambda/shared/errors';
import type { FleetRecord } from '../../../lambda/shared/documents';
import { FakeLedgerStore } from '../fakes/ledger-store';
import { FakeRuntimeParameters } from '../fakes/runtime-parameters';
import {
  at,
  canaryPlan,
  execution,
  EXECUTION_ARN,
  fleet,
  flipPlan,
  NEW_AMI,
  NOW,
  OLD_AMI,
  refreshPlan,
  request,
  settings,
} from '../fixtures';

const s = settings();
const base = { settings: s, execution: execution() };

let store: FakeLedgerStore;
let parameters: FakeRuntimeParameters;
const deps = () => ({ store, parameters, now: NOW });

beforeEach(() => {
  // no fleet record yet, no ledger entry left open by an earlier rollout, no parameter seeded
  store = new FakeLedgerStore();
  parameters = new FakeRuntimeParameters();
});

/** The fleet record the table holds from now on. */
const storedFleet = (r: FleetRecord | undefined) => {
  store.record = r;
};
/** Every parameter already equal to `r`, so a publish writes nothing unless the record changes. */
function parametersOf(r: FleetRecord) {
  parameters = new FakeRuntimeParameters({
    [s.parameters.releasedImage]: r.releasedImage,
    [s.parameters.listenerWeights]: r.liveColour === 'blue' ? '100,0' : '0,100',
    [s.parameters.launchTemplateVersions.blue]: r.versions.blue,
    [s.parameters.launchTemplateVersions.green]: r.versions.green,
  });
}

/** The key of run-1's ledger entry. */
const RUN_1 = `${execution().startedAt}#run-1`;
/** The open ledger entry of the canary of NEW_AMI that run-1 starts. */
const canaryEntry = (): LedgerEntry => ({
  execution: EXECUTION_ARN,
  executionName: 'run-1',
  startedAt: execution().startedAt,
  action: 'canary',
  trigger: 'console',
  reason: 'phoenix started from the console',
  status: 'IN_PROGRESS',
  fromImage: OLD_AMI,
  toImage: NEW_AMI,
});
const writesOf = (method: string) => store.writes.filter((w) => w.method === method);

describe('acquireLock', () => {
  it('takes the lock for the lock TTL and returns the fleet record', async () => {
    storedFleet(fleet());
    expect(await acquireLock({ ...base, request: request() }, deps())).toEqual({
      owner: EXECUTION_ARN,
      expiresAt: Math.floor(NOW.getTime() / 1000) + 14_400,
      fleet: fleet(),
    });
    expect(store.lock).toEqual({
      owner: EXECUTION_ARN,
      action: 'phoenix',
      acquiredAt: NOW.toISOString(),
      expiresAt: Math.floor(NOW.getTime() / 1000) + 14_400,
    });
  });

  it('takes it again when a retry of the same execution already holds it', async () => {
    storedFleet(fleet());
    await acquireLock({ ...base, request: request() }, deps());
    await acquireLock({ ...base, request: request() }, deps());
    const grants = writesOf('acquire');
    expect(grants).toHaveLength(2);
    for (const grant of grants) expect(grant.lock?.owner).toBe(EXECUTION_ARN);
  });

  it('creates the fleet record from the seeded parameters on the very first rollout', async () => {
    storedFleet(undefined);
    parametersOf(fleet({ versions: { blue: '1', green: '1' } }));
    const grant = await acquireLock({ ...base, request: request() }, deps());
    const created = {
      liveColour: 'blue',
      releasedImage: OLD_AMI,
      versions: { blue: '1', green: '1' },
      generation: 0,
    };
    expect(grant.fleet).toEqual(created);
    expect(writesOf('createFleet')).toEqual([{ method: 'createFleet', record: created }]);
    expect(store.record).toEqual(created);
  });

  it('opens the ledger entry of this rollout, so one stopped before it has a plan is recorded too', async () => {
    storedFleet(fleet());
    await acquireLock({ ...base, request: request({ action: 'canary', imageId: NEW_AMI }) }, deps());
    expect(store.entries.get(RUN_1)).toEqual(canaryEntry());
  });

  it('closes the entries stopped rollouts left open, before it plans anything', async () => {
    storedFleet(fleet());
    const stopped = 'arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:stopped';
    store.entries.set('2026-03-02T08:00:00.000Z#stopped', {
      execution: stopped,
      executionName: 'stopped',
      startedAt: '2026-03-02T08:00:00.000Z',
      status: 'IN_PROGRESS',
    } as LedgerEntry);
    await acquireLock({ ...base, request: request() }, deps());
    expect(writesOf('closeOpen')).toEqual([
      { method: 'closeOpen', entry: '2026-03-02T08:00:00.000Z#stopped' },
    ]);
    expect(store.entries.get('2026-03-02T08:00:00.000Z#stopped')?.status).toBe('ABANDONED');
  });

  it('fails with RolloutInProgress naming the holder and its expiry, and reads nothing else', async () => {
    store.lock = {
      owner: 'arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:nightly',
      action: 'canary',
      acquiredAt: '2026-03-02T09:00:00.000Z',
      expiresAt: Date.parse('2026-03-02T13:00:00.000Z') / 1000,
    };
    const error = await acquireLock({ ...base, request: request() }, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RolloutInProgress);
    expect((error as Error).message).toBe(
      'fleet dev is locked by arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:nightly ' +
        '(canary since 2026-03-02T09:00:00.000Z, lock expires 2026-03-02T13:00:00.000Z); this execution changed nothing. ' +
        'Wait for it to finish, or stop it: its lock is released when it ends.',
    );
    expect(store.calls).toEqual(['acquire']);
    expect(parameters.reads).toHaveLength(0);
  });
});

describe('releaseLock', () => {
  beforeEach(() => {
    store.lock = { owner: EXECUTION_ARN, action: 'phoenix', acquiredAt: NOW.toISOString(), expiresAt: 0 };
  });

  it('releases the lock this execution holds', async () => {
    expect(await releaseLock(base, deps())).toEqual({ released: true });
    expect(writesOf('release')).toEqual([{ method: 'release', owner: EXECUTION_ARN }]);
    expect(store.lock).toBeUndefined();
  });

  it('is idempotent: a retry after the lock is gone reports false instead of failing', async () => {
    expect(await releaseLock(base, deps())).toEqual({ released: true });
    expect(await releaseLock(base, deps())).toEqual({ released: false });
  });

  it("leaves another execution's lock alone", async () => {
    store.lock = {
      owner: 'arn:…:execution:immutable-dev-rollout:next',
      action: 'canary',
      acquiredAt: '',
      expiresAt: 0,
    };
    expect(await releaseLock(base, deps())).toEqual({ released: false });
    expect(store.lock?.owner).toBe('arn:…:execution:immutable-dev-rollout:next');
  });
});

describe('recordStart', () => {
  it('opens a ledger entry with the plan and its images', async () => {
    const plan = canaryPlan();
    await recordStart(
      { ...base, request: request({ action: 'canary', imageId: NEW_AMI }), plan, fleet: fleet() },
      deps(),
    );
    expect(writesOf('recordStart')).toEqual([{ method: 'recordStart', entry: RUN_1 }]);
    expect(store.entries.get(RUN_1)).toEqual({ ...canaryEntry(), plan: JSON.stringify(plan) });
  });

  it('records a skip with the released image only', async () => {
    const plan = { kind: 'skip' as const, reason: 'young', summary: 'skip: young', estimatedSeconds: 0 };
    await recordStart({ ...base, request: request(), plan, fleet: fleet() }, deps());
    const entry = store.entries.get(RUN_1);
    expect(entry?.fromImage).toEqual(OLD_AMI);
    expect(entry).not.toHaveProperty('toImage');
  });
});

describe('recordRelease', () => {
  const promoted: FleetRecord = {
    liveColour: 'green',
    releasedImage: NEW_AMI,
    previousImage: OLD_AMI,
    releasedAt: NOW.toISOString(),
    releasedBy: EXECUTION_ARN,
    releasedAction: 'canary',
    versions: { blue: '7', green: '8' },
    warm: { colour: 'blue', image: OLD_AMI, until: at(300).toISOString() },
    generation: 6,
  };

  beforeEach(() => storedFleet(fleet()));

  it('makes the canary colour live and keeps the old one warm for the scale-down delay', async () => {
    parametersOf(fleet());
    expect(
      await recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps()),
    ).toEqual(promoted);
    // replaced at generation 5, the one the lock step read
    expect(writesOf('replaceFleet')).toEqual([{ method: 'replaceFleet', record: promoted }]);
    expect(store.record).toEqual(promoted);
  });

  it('leaves no previous image after a rollback: a second one must not return to the release it fled', async () => {
    parametersOf(fleet());
    const r = await recordRelease(
      { ...base, request: { action: 'rollback', trigger: 'console' }, plan: flipPlan(), fleet: fleet() },
      deps(),
    );
    expect(r).not.toHaveProperty('previousImage');
    expect(r.releasedImage).toBe(flipPlan().to.imageId);
  });

  it('publishes the new release to the runtime parameters', async () => {
    parametersOf(fleet());
    await recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps());
    expect(parameters.writes.map((p) => [p.name, p.value])).toEqual([
      [s.parameters.releasedImage, NEW_AMI],
      [s.parameters.listenerWeights, '0,100'],
      [s.parameters.launchTemplateVersions.green, '8'],
    ]);
  });

  it('keeps nothing warm after a first release', async () => {
    parametersOf(fleet());
    const r = await recordRelease(
      { ...base, plan: canaryPlan({ initial: true, steps: [100] }), fleet: fleet(), version: '8' },
      deps(),
    );
    expect(r).not.toHaveProperty('warm');
  });

  it('flips back without touching the launch-template versions', async () => {
    const live = fleet({ liveColour: 'blue', releasedImage: NEW_AMI, previousImage: OLD_AMI });
    storedFleet(live);
    parametersOf(live);
    const r = await recordRelease({ ...base, plan: flipPlan(), fleet: live, version: '' }, deps());
    expect(r).toMatchObject({
      liveColour: 'green',
      releasedImage: OLD_AMI,
      previousImage: NEW_AMI,
      versions: live.versions,
      warm: { colour: 'blue', image: NEW_AMI },
      generation: 6,
    });
  });

  it('is idempotent: a retry finds its own earlier write and returns it', async () => {
    parametersOf(fleet());
    const firstAttempt = {
      ...promoted,
      releasedAt: at(-5).toISOString(),
      warm: { colour: 'blue' as const, image: OLD_AMI, until: at(295).toISOString() },
    };
    storedFleet(firstAttempt);
    expect(
      await recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps()),
    ).toEqual(firstAttempt);
    expect(writesOf('replaceFleet')).toHaveLength(0);
    expect(parameters.writes).toHaveLength(3);
  });

  it('fails when another writer changed the record underneath', async () => {
    parametersOf(fleet());
    storedFleet(fleet({ generation: 9 }));
    await expect(
      recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps()),
    ).rejects.toThrow('fleet record changed underneath this rollout (expected generation 5, found 9)');
    expect(parameters.writes).toHaveLength(0);
  });

  it('stands even when the parameters cannot be published', async () => {
    parameters.failures.on('find', Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(
      recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps()),
    ).resolves.toEqual(promoted);
    expect(store.record).toEqual(promoted);
  });

  it('fails when asked to release a refresh or a skip', async () => {
    await expect(recordRelease({ ...base, plan: refreshPlan(), fleet: fleet() }, deps())).rejects.toThrow(
      'only a canary or a flip releases an image, not a refresh',
    );
    expect(store.calls).toHaveLength(0);
  });
});

describe('recordFinish', () => {
  const finish = (document: FinishedDocument) => recordFinish({ ...base, document }, deps());
  const lambdaCause = JSON.stringify({
    errorType: 'CanaryFailed',
    errorMessage: 'step 2/3 at 50 % on ami-0bbbbbbbbbbbbbbbb: canary 5xx ratio 0.08 > 0.05 (80/1000)',
    trace: ['CanaryFailed: step 2/3', '    at judgeCanaryStep (/var/task/index.mjs:1:1)'],
  });

  beforeEach(() => {
    storedFleet(fleet());
    parametersOf(fleet());
  });

  it.each([
    ['FAILED', { request: request(), plan: refreshPlan(), error: { Error: 'RefreshFailed', Cause: 'x' } }],
    ['DRY_RUN', { request: request({ dryRun: true }), plan: refreshPlan() }],
    [
      'SKIPPED',
      {
        request: request(),
        plan: { kind: 'skip', reason: 'young', summary: 'skip: young', estimatedSeconds: 0 },
      },
    ],
    ['SUCCEEDED', { request: request({ action: 'canary', imageId: NEW_AMI }), plan: canaryPlan() }],
    ['FAILED', { request: request(), error: { Error: 'States.Runtime', Cause: 'no plan yet' } }],
  ] as Array<[string, FinishedDocument]>)('reports %s', async (outcome, document) => {
    const r = await finish(document);
    expect(r.outcome).toBe(outcome);
    expect(store.entries.get(RUN_1)?.status).toBe(outcome);
  });

  it('counts a dry run that failed as FAILED', async () => {
    const r = await finish({
      request: request({ dryRun: true }),
      error: { Error: 'ImageNotFound', Cause: 'gone' },
    });
    expect(r.outcome).toBe('FAILED');
  });

  it('records the new launch-template version of a successful rotation', async () => {
    const r = await finish({ request: request(), plan: refreshPlan(), progress: { version: '9' } });
    expect(r.fleet).toEqual(fleet({ versions: { blue: '9', green: '6' }, generation: 6 }));
    // replaced at generation 5, the one it read
    expect(writesOf('replaceFleet')).toEqual([{ method: 'replaceFleet', record: r.fleet }]);
    expect(parameters.writes).toEqual([
      expect.objectContaining({ name: s.parameters.launchTemplateVersions.blue, value: '9' }),
    ]);
  });

  it('records a rotation once when retried after it went through (a timed-out invocation)', async () => {
    const document: FinishedDocument = {
      request: request(),
      plan: refreshPlan(),
      progress: { version: '9' },
    };
    const first = await finish(document);
    const again = await finish(document);
    expect(again.fleet).toEqual(first.fleet);
    expect(writesOf('replaceFleet')).toHaveLength(1);
  });

  it("records the version a stopped rotation's refresh left on the live group, as no release", async () => {
    const r = await finish({
      request: request({ action: 'restore' }),
      lock: { fleet: fleet() },
      restored: { liveVersion: { colour: 'blue', version: '8' } },
    });
    expect(r.fleet).toEqual(fleet({ versions: { blue: '8', green: '6' }, generation: 5 }));
    expect(store.record).toEqual(r.fleet);
    expect(parameters.writes).toEqual([
      expect.objectContaining({ name: s.parameters.launchTemplateVersions.blue, value: '8' }),
    ]);
  });

  it('keeps the version this rollout recorded for that colour since', async () => {
    const r = await finish({
      request: request(),
      plan: refreshPlan(),
      progress: { version: '9' },
      lock: { fleet: fleet() },
      restored: { liveVersion: { colour: 'blue', version: '8' } },
    });
    expect(r.fleet.versions.blue).toBe('9');
  });

  it('leaves the record alone after a failed rotation', async () => {
    await finish({
      request: request(),
      plan: refreshPlan(),
      progress: { version: '9' },
      error: { Error: 'RefreshFailed', Cause: 'rolled back' },
    });
    expect(writesOf('replaceFleet')).toHaveLength(0);
    expect(store.record).toEqual(fleet());
  });

  it('closes the ledger entry with the error, its message and the versions', async () => {
    await finish({
      request: request({ action: 'canary', imageId: NEW_AMI }),
      plan: canaryPlan(),
      error: { Error: 'CanaryFailed', Cause: lambdaCause },
    });
    expect(writesOf('recordEnd')).toEqual([{ method: 'recordEnd', entry: RUN_1 }]);
    expect(store.entries.get(RUN_1)).toMatchObject({
      status: 'FAILED',
      endedAt: NOW.toISOString(),
      error: 'CanaryFailed',
      cause: 'step 2/3 at 50 % on ami-0bbbbbbbbbbbbbbbb: canary 5xx ratio 0.08 > 0.05 (80/1000)',
      toImage: NEW_AMI,
      versions: '{"blue":"7","green":"6"}',
    });
  });

  it('writes the whole entry for a rollout refused while planning (it never recorded its start)', async () => {
    await finish({
      request: request({ action: 'canary', imageId: NEW_AMI }),
      error: { Error: 'ImageNotFound', Cause: `${NEW_AMI} does not exist` },
    });
    expect(store.entries.get(RUN_1)).toMatchObject({
      execution: EXECUTION_ARN,
      executionName: 'run-1',
      startedAt: execution().startedAt,
      action: 'canary',
      trigger: 'console',
      fromImage: OLD_AMI,
      toImage: NEW_AMI,
      status: 'FAILED',
      error: 'ImageNotFound',
    });
  });

  it('composes a notification an operator can act on', async () => {
    const r = await finish({
      request: request({ action: 'canary', imageId: NEW_AMI, reason: 'new base image' }),
      plan: canaryPlan({ summary: 'canary ami-0bbbbbbbbbbbbbbbb on green' }),
      error: { Error: 'CanaryFailed', Cause: lambdaCause },
    });
    expect(r.subject).toBe('[dev] canary FAILED (CanaryFailed)');
    expect(r.message.split('\n')).toEqual([
      'Environment: dev',
      'Action: canary (trigger: console)',
      'Reason: new base image',
      'Outcome: FAILED',
      `Images: ${OLD_AMI} -> ${NEW_AMI}`,
      `Live: blue on ${OLD_AMI}`,
      'Duration: 60 s',
      'Plan: canary ami-0bbbbbbbbbbbbbbbb on green',
      'Error: CanaryFailed',
      'Cause: step 2/3 at 50 % on ami-0bbbbbbbbbbbbbbbb: canary 5xx ratio 0.08 > 0.05 (80/1000)',
      `Execution: ${EXECUTION_ARN}`,
    ]);
  });

  it('says what the environments downstream do with the release, and when', async () => {
    storedFleet(fleet({ releasedImage: NEW_AMI, releasedBy: EXECUTION_ARN, releasedAction: 'canary' }));
    const r = await recordFinish(
      {
        ...base,
        settings: settings({
          downstream: [
            { environment: 'staging', soakMinutes: 60, approval: 'automatic' },
            { environment: 'prod', soakMinutes: 240, approval: 'manual' },
          ],
        }),
        document: { request: request({ action: 'canary', imageId: NEW_AMI }), plan: canaryPlan() },
      },
      deps(),
    );
    expect(r.message).toContain(
      `Next: staging starts a canary of ${NEW_AMI} after a 60-minute soak, at ${at(3600).toISOString()}, if dev still runs it then`,
    );
    expect(r.message).toContain(
      `Next: prod asks for approval of ${NEW_AMI} after a 240-minute soak, at ${at(4 * 3600).toISOString()}, if dev still runs it then (npm run approve -- --env prod --image ${NEW_AMI})`,
    );
  });

  it('says a rollback is not promoted, and says nothing of what comes next for a rollout that released nothing', async () => {
    storedFleet(fleet({ releasedImage: OLD_AMI, releasedBy: EXECUTION_ARN, releasedAction: 'rollback' }));
    const rollback = await finish({ request: request({ action: 'rollback' }), plan: flipPlan() });
    expect(rollback.message).toContain(
      'Next: nothing downstream; a rollback is not promoted (staging stays on its release)',
    );
    storedFleet(fleet({ releasedImage: OLD_AMI, releasedBy: 'another execution' }));
    const phoenix = await finish({ request: request({ action: 'phoenix' }), plan: refreshPlan() });
    expect(phoenix.message).not.toContain('Next:');
  });

  it('says loudly when returning traffic to the last good fleet failed as well', async () => {
    const r = await finish({
      request: request({ action: 'canary', imageId: NEW_AMI }),
      plan: canaryPlan(),
      error: { Error: 'CanaryFailed', Cause: lambdaCause },
      compensationError: {
        Error: 'ThrottlingException',
        Cause: JSON.stringify({ errorType: 'ThrottlingException', errorMessage: 'Rate exceeded' }),
      },
    });
    expect(r.subject).toBe('[dev] canary FAILED (CanaryFailed), traffic NOT restored');
    expect(r.message).toContain(
      `WARNING: returning traffic to the last good fleet failed too (ThrottlingException: Rate exceeded), so traffic may still be on ${NEW_AMI}`,
    );
    expect(store.entries.get(RUN_1)?.cause).toContain('returning traffic to the last good fleet failed too');
    // for the lock janitor, which restores the fleet once the execution has ended
    expect(store.entries.get(RUN_1)?.compensation).toBe('FAILED');
  });

  it('turns a failure to publish into a WARNING line, not a failed finish', async () => {
    parameters.failures.on('put', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const r = await finish({ request: request(), plan: refreshPlan(), progress: { version: '9' } });
    expect(r.outcome).toBe('SUCCEEDED');
    expect(r.message).toContain(
      'WARNING: the runtime parameters could not be updated (ThrottlingException: Rate exceeded). Do not deploy',
    );
  });

  it('keeps the subject under the 100 characters SNS accepts, on one line', async () => {
    const long = recordFinish(
      {
        settings: { ...s, environment: 'e'.repeat(40) }, // longer than any real name
        execution: execution(),
        document: {
          request: request(),
          plan: refreshPlan(),
          error: { Error: `Custom\r\nError\u0000${'X'.repeat(120)}`, Cause: 'c' },
        },
      },
      deps(),
    );
    const { subject } = await long;
    expect([...subject].length).toBe(99);
    expect(subject).not.toMatch(/\p{Cc}/u);
    expect(subject).toMatch(/^\[e{40}\] phoenix FAILED \(Custom Error X+\.\.\.$/);
  });

  it('fails when the fleet record has disappeared', async () => {
    storedFleet(undefined);
    await expect(finish({ request: request(), plan: refreshPlan() })).rejects.toThrow(
      'the fleet record is missing; the lock step creates it, so the table was changed by hand',
    );
  });
});

describe('describeError', () => {
  it('keeps the message of a Lambda error cause', () => {
    expect(
      describeError({
        Error: 'InvalidInput',
        Cause: '{"errorType":"InvalidInput","errorMessage":"action must be ...","trace":[]}',
      }),
    ).toBe('action must be ...');
  });

  it('keeps a plain-text cause as it is', () => {
    expect(describeError({ Error: 'States.Timeout', Cause: 'Task timed out after 60.00 seconds' })).toBe(
      'Task timed out after 60.00 seconds',
    );
  });

  it('keeps JSON without an errorMessage as it is', () => {
    expect(describeError({ Error: 'States.Runtime', Cause: '{"detail":"x"}' })).toBe('{"detail":"x"}');
    expect(describeError({ Error: 'States.Runtime', Cause: 'null' })).toBe('null');
  });

  it('is empty without a cause', () => {
    expect(describeError({ Error: 'States.ALL' })).toBe('');
  });
});
