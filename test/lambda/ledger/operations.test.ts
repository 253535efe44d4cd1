import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import {
  acquireLock,
  describeError,
  recordFinish,
  recordRelease,
  recordStart,
  releaseLock,
} from '../../../lambda/ledger/operations';
import type { FinishedDocument } from '../../../lambda/ledger/operations';
import { RuntimeParameters } from '../../../lambda/ledger/runtime-parameters';
import { LedgerStore } from '../../../lambda/ledger/store';
import { RolloutInProgress } from '../../../lambda/shared/errors';
import type { FleetRecord } from '../../../lambda/shared/documents';
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
import { inputsOf } from '../sdk-mocks';

const db = mockClient(DynamoDBClient);
const ssm = mockClient(SSMClient);
const s = settings();
const deps = () => ({
  store: new LedgerStore(new DynamoDBClient({}), s.table),
  parameters: new RuntimeParameters(new SSMClient({}), s.parameters),
  now: NOW,
});
const base = { settings: s, execution: execution() };

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const LOCK = { pk: { S: 'fleet' }, sk: { S: 'lock' } };
const STATE = { pk: { S: 'fleet' }, sk: { S: 'state' } };
const stateItem = (r: FleetRecord) => ({
  ...STATE,
  record: { S: JSON.stringify(r) },
  generation: { N: String(r.generation) },
});
/** The fleet record DynamoDB returns from now on. */
const storedFleet = (r: FleetRecord | undefined) =>
  db.on(GetItemCommand, { Key: STATE }).resolves(r ? { Item: stateItem(r) } : {});
/** Every parameter already equal to `r`, so a publish writes nothing unless the record changes. */
function parametersOf(r: FleetRecord) {
  const values: Record<string, string> = {
    [s.parameters.releasedImage]: r.releasedImage,
    [s.parameters.listenerWeights]: r.liveColour === 'blue' ? '100,0' : '0,100',
    [s.parameters.launchTemplateVersions.blue]: r.versions.blue,
    [s.parameters.launchTemplateVersions.green]: r.versions.green,
  };
  ssm
    .on(GetParameterCommand)
    .callsFake((input: { Name: string }) => Promise.resolve({ Parameter: { Value: values[input.Name] } }));
  ssm.on(PutParameterCommand).resolves({ Version: 2 });
}

beforeEach(() => {
  db.reset();
  ssm.reset();
  db.on(PutItemCommand).resolves({});
  db.on(DeleteItemCommand).resolves({});
  db.on(UpdateItemCommand).resolves({});
  // no ledger entry left open by an earlier rollout
  db.on(QueryCommand).resolves({ Items: [] });
});

/** The open ledger entry of the canary of NEW_AMI that run-1 starts. */
const canaryEntry = () => ({
  pk: { S: 'rollout' },
  sk: { S: `${execution().startedAt}#run-1` },
  execution: { S: EXECUTION_ARN },
  executionName: { S: 'run-1' },
  startedAt: { S: execution().startedAt },
  action: { S: 'canary' },
  trigger: { S: 'console' },
  reason: { S: 'phoenix started from the console' },
  status: { S: 'IN_PROGRESS' },
  fromImage: { S: OLD_AMI },
  toImage: { S: NEW_AMI },
});

describe('acquireLock', () => {
  it('takes the lock for the lock TTL and returns the fleet record', async () => {
    storedFleet(fleet());
    expect(await acquireLock({ ...base, request: request() }, deps())).toEqual({
      owner: EXECUTION_ARN,
      expiresAt: Math.floor(NOW.getTime() / 1000) + 14_400,
      fleet: fleet(),
    });
    expect(inputsOf(db, PutItemCommand)[0]).toMatchObject({
      Item: { ...LOCK, owner: { S: EXECUTION_ARN }, action: { S: 'phoenix' } },
    });
  });

  it('takes it again when a retry of the same execution already holds it', async () => {
    storedFleet(fleet());
    await acquireLock({ ...base, request: request() }, deps());
    await acquireLock({ ...base, request: request() }, deps());
    const puts = inputsOf(db, PutItemCommand).filter((p) => p.Item?.sk?.S === 'lock');
    expect(puts).toHaveLength(2);
    for (const put of puts) {
      expect(put.ConditionExpression).toContain('#owner = :owner');
      expect(put.ExpressionAttributeValues?.[':owner']).toEqual({ S: EXECUTION_ARN });
    }
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
    expect(inputsOf(db, PutItemCommand)).toContainEqual({
      TableName: s.table,
      Item: { ...STATE, record: { S: JSON.stringify(created) }, generation: { N: '0' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('opens the ledger entry of this rollout, so one stopped before it has a plan is recorded too', async () => {
    storedFleet(fleet());
    await acquireLock({ ...base, request: request({ action: 'canary', imageId: NEW_AMI }) }, deps());
    expect(inputsOf(db, PutItemCommand)).toContainEqual({
      TableName: s.table,
      Item: canaryEntry(),
    });
  });

  it('closes the entries stopped rollouts left open, before it plans anything', async () => {
    storedFleet(fleet());
    const stopped = 'arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:stopped';
    db.on(QueryCommand).resolves({
      Items: [
        {
          pk: { S: 'rollout' },
          sk: { S: '2026-03-02T08:00:00.000Z#stopped' },
          execution: { S: stopped },
          executionName: { S: 'stopped' },
          startedAt: { S: '2026-03-02T08:00:00.000Z' },
          status: { S: 'IN_PROGRESS' },
        },
      ],
    });
    await acquireLock({ ...base, request: request() }, deps());
    expect(inputsOf(db, UpdateItemCommand)).toEqual([
      expect.objectContaining({
        Key: { pk: { S: 'rollout' }, sk: { S: '2026-03-02T08:00:00.000Z#stopped' } },
        ExpressionAttributeValues: expect.objectContaining({ ':closed': { S: 'ABANDONED' } }) as unknown,
      }),
    ]);
  });

  it('fails with RolloutInProgress naming the holder and its expiry, and reads nothing else', async () => {
    db.on(PutItemCommand).rejects(conditionFailed());
    db.on(GetItemCommand, { Key: LOCK }).resolves({
      Item: {
        ...LOCK,
        owner: { S: 'arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:nightly' },
        action: { S: 'canary' },
        acquiredAt: { S: '2026-03-02T09:00:00.000Z' },
        expiresAt: { N: String(Date.parse('2026-03-02T13:00:00.000Z') / 1000) },
      },
    });
    const error = await acquireLock({ ...base, request: request() }, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RolloutInProgress);
    expect((error as Error).message).toBe(
      'fleet dev is locked by arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:nightly ' +
        '(canary since 2026-03-02T09:00:00.000Z, lock expires 2026-03-02T13:00:00.000Z); this execution changed nothing. ' +
        'Wait for it to finish, or stop it: its lock is released when it ends.',
    );
    expect(inputsOf(db, GetItemCommand).map((i) => i.Key)).toEqual([LOCK]);
    expect(ssm.calls()).toHaveLength(0);
  });
});

describe('releaseLock', () => {
  it('releases the lock this execution holds', async () => {
    expect(await releaseLock(base, deps())).toEqual({ released: true });
    expect(inputsOf(db, DeleteItemCommand)[0]).toMatchObject({
      Key: LOCK,
      ExpressionAttributeValues: { ':owner': { S: EXECUTION_ARN } },
    });
  });

  it('is idempotent: a retry after the lock is gone reports false instead of failing', async () => {
    db.on(DeleteItemCommand).resolvesOnce({}).rejects(conditionFailed());
    expect(await releaseLock(base, deps())).toEqual({ released: true });
    expect(await releaseLock(base, deps())).toEqual({ released: false });
  });
});

describe('recordStart', () => {
  it('opens a ledger entry with the plan and its images', async () => {
    const plan = canaryPlan();
    await recordStart(
      { ...base, request: request({ action: 'canary', imageId: NEW_AMI }), plan, fleet: fleet() },
      deps(),
    );
    expect(inputsOf(db, PutItemCommand)).toEqual([
      {
        TableName: s.table,
        Item: { ...canaryEntry(), plan: { S: JSON.stringify(plan) } },
      },
    ]);
  });

  it('records a skip with the released image only', async () => {
    const plan = { kind: 'skip' as const, reason: 'young', summary: 'skip: young', estimatedSeconds: 0 };
    await recordStart({ ...base, request: request(), plan, fleet: fleet() }, deps());
    const item = inputsOf(db, PutItemCommand)[0]?.Item;
    expect(item?.fromImage).toEqual({ S: OLD_AMI });
    expect(item).not.toHaveProperty('toImage');
  });
});

describe('recordRelease', () => {
  const promoted: FleetRecord = {
    liveColour: 'green',
    releasedImage: NEW_AMI,
    previousImage: OLD_AMI,
    releasedAt: NOW.toISOString(),
    releasedBy: EXECUTION_ARN,
    versions: { blue: '7', green: '8' },
    warm: { colour: 'blue', image: OLD_AMI, until: at(300).toISOString() },
    generation: 6,
  };

  it('makes the canary colour live and keeps the old one warm for the scale-down delay', async () => {
    parametersOf(fleet());
    expect(
      await recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps()),
    ).toEqual(promoted);
    expect(inputsOf(db, PutItemCommand)).toEqual([
      {
        TableName: s.table,
        Item: { ...STATE, record: { S: JSON.stringify(promoted) }, generation: { N: '6' } },
        ConditionExpression: 'generation = :expected',
        ExpressionAttributeValues: { ':expected': { N: '5' } },
      },
    ]);
  });

  it('leaves no previous image after a rollback: a second one must not return to the release it fled', async () => {
    parametersOf(fleet());
    const r = await recordRelease(
      { ...base, request: { action: 'rollback' }, plan: flipPlan(), fleet: fleet() },
      deps(),
    );
    expect(r).not.toHaveProperty('previousImage');
    expect(r.releasedImage).toBe(flipPlan().to.imageId);
  });

  it('publishes the new release to the runtime parameters', async () => {
    parametersOf(fleet());
    await recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps());
    expect(inputsOf(ssm, PutParameterCommand).map((p) => [p.Name, p.Value])).toEqual([
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
    db.on(PutItemCommand).rejects(conditionFailed());
    const firstAttempt = {
      ...promoted,
      releasedAt: at(-5).toISOString(),
      warm: { colour: 'blue' as const, image: OLD_AMI, until: at(295).toISOString() },
    };
    storedFleet(firstAttempt);
    expect(
      await recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps()),
    ).toEqual(firstAttempt);
    expect(inputsOf(ssm, PutParameterCommand)).toHaveLength(3);
  });

  it('fails when another writer changed the record underneath', async () => {
    parametersOf(fleet());
    db.on(PutItemCommand).rejects(conditionFailed());
    storedFleet(fleet({ generation: 9 }));
    await expect(
      recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps()),
    ).rejects.toThrow('fleet record changed underneath this rollout (expected generation 5, found 9)');
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('stands even when the parameters cannot be published', async () => {
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(
      recordRelease({ ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }, deps()),
    ).resolves.toEqual(promoted);
  });

  it('fails when asked to release a refresh or a skip', async () => {
    await expect(recordRelease({ ...base, plan: refreshPlan(), fleet: fleet() }, deps())).rejects.toThrow(
      'only a canary or a flip releases an image, not a refresh',
    );
    expect(db.calls()).toHaveLength(0);
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
    expect(inputsOf(db, UpdateItemCommand)[0]?.ExpressionAttributeValues?.[':status']).toEqual({
      S: outcome,
    });
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
    expect(inputsOf(db, PutItemCommand)).toEqual([
      expect.objectContaining({
        ConditionExpression: 'generation = :expected',
        ExpressionAttributeValues: { ':expected': { N: '5' } },
      }),
    ]);
    expect(inputsOf(ssm, PutParameterCommand)).toEqual([
      expect.objectContaining({ Name: s.parameters.launchTemplateVersions.blue, Value: '9' }),
    ]);
  });

  it("records the version a stopped rotation's refresh left on the live group, as no release", async () => {
    const r = await finish({
      request: request({ action: 'restore' }),
      lock: { fleet: fleet() },
      restored: { liveVersion: { colour: 'blue', version: '8' } },
    });
    expect(r.fleet).toEqual(fleet({ versions: { blue: '8', green: '6' }, generation: 5 }));
    expect(inputsOf(ssm, PutParameterCommand)).toEqual([
      expect.objectContaining({ Name: s.parameters.launchTemplateVersions.blue, Value: '8' }),
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
    expect(db.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('closes the ledger entry with the error, its message and the versions', async () => {
    await finish({
      request: request({ action: 'canary', imageId: NEW_AMI }),
      plan: canaryPlan(),
      error: { Error: 'CanaryFailed', Cause: lambdaCause },
    });
    expect(inputsOf(db, UpdateItemCommand)[0]).toMatchObject({
      Key: { pk: { S: 'rollout' }, sk: { S: `${execution().startedAt}#run-1` } },
      ExpressionAttributeValues: {
        ':status': { S: 'FAILED' },
        ':endedAt': { S: NOW.toISOString() },
        ':error': { S: 'CanaryFailed' },
        ':cause': { S: 'step 2/3 at 50 % on ami-0bbbbbbbbbbbbbbbb: canary 5xx ratio 0.08 > 0.05 (80/1000)' },
        ':toImage': { S: NEW_AMI },
        ':versions': { S: '{"blue":"7","green":"6"}' },
      },
    });
  });

  it('writes the whole entry for a rollout refused while planning (it never recorded its start)', async () => {
    await finish({
      request: request({ action: 'canary', imageId: NEW_AMI }),
      error: { Error: 'ImageNotFound', Cause: `${NEW_AMI} does not exist` },
    });
    expect(inputsOf(db, UpdateItemCommand)[0]?.ExpressionAttributeValues).toMatchObject({
      ':execution': { S: EXECUTION_ARN },
      ':action': { S: 'canary' },
      ':trigger': { S: 'console' },
      ':fromImage': { S: OLD_AMI },
      ':toImage': { S: NEW_AMI },
      ':status': { S: 'FAILED' },
      ':error': { S: 'ImageNotFound' },
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
    expect(inputsOf(db, UpdateItemCommand)[0]?.ExpressionAttributeValues?.[':cause']?.S).toContain(
      'returning traffic to the last good fleet failed too',
    );
  });

  it('turns a failure to publish into a WARNING line, not a failed finish', async () => {
    ssm
      .on(PutParameterCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const r = await finish({ request: request(), plan: refreshPlan(), progress: { version: '9' } });
    expect(r.outcome).toBe('SUCCEEDED');
    expect(r.message).toContain(
      'WARNING: the runtime parameters could not be updated (ThrottlingException: Rate exceeded). Do not deploy',
    );
  });

  it('keeps the subject ASCII and within the 100 characters SNS accepts', async () => {
    const long = recordFinish(
      {
        settings: { ...s, environment: 'e'.repeat(40) as 'dev' }, // longer than any real name
        execution: execution(),
        document: { request: request(), plan: refreshPlan(), error: { Error: 'X'.repeat(120), Cause: 'c' } },
      },
      deps(),
    );
    const { subject } = await long;
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.endsWith('...')).toBe(true);
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
