import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDbLedgerStore, ledgerSortKey } from '../../../lambda/aws/dynamodb';
import { scratchDir } from '../../support/synth';
import { EXECUTION_ARN, fleet, NOW } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const db = mockClient(DynamoDBClient);
const TABLE = 'immutable-dev-rollouts';
const store = () => new DynamoDbLedgerStore(new DynamoDBClient({}), TABLE);
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const lockItem = {
  pk: { S: 'fleet' },
  sk: { S: 'lock' },
  owner: { S: 'arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:other' },
  action: { S: 'canary' },
  acquiredAt: { S: '2026-03-02T09:30:00.000Z' },
  expiresAt: { N: String(nowSeconds + 3600) },
};

beforeEach(() => db.reset());

describe('DynamoDbLedgerStore.acquire', () => {
  it('puts the lock item on condition it is free, expired or already ours', async () => {
    db.on(PutItemCommand).resolves({});
    expect(await store().acquire(EXECUTION_ARN, 'phoenix', NOW, 14_400)).toBeUndefined();
    expect(inputsOf(db, PutItemCommand)).toEqual([
      {
        TableName: TABLE,
        Item: {
          pk: { S: 'fleet' },
          sk: { S: 'lock' },
          owner: { S: EXECUTION_ARN },
          action: { S: 'phoenix' },
          acquiredAt: { S: NOW.toISOString() },
          expiresAt: { N: String(nowSeconds + 14_400) },
        },
        // the same owner may take it again: a retried invocation must not lock itself out
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': { N: String(nowSeconds) }, ':owner': { S: EXECUTION_ARN } },
      },
    ]);
  });

  it('returns the holder, read consistently, when another owner has the lock', async () => {
    db.on(PutItemCommand).rejects(conditionFailed());
    db.on(GetItemCommand).resolves({ Item: lockItem });
    expect(await store().acquire(EXECUTION_ARN, 'phoenix', NOW, 14_400)).toEqual({
      owner: 'arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:other',
      action: 'canary',
      acquiredAt: '2026-03-02T09:30:00.000Z',
      expiresAt: nowSeconds + 3600,
    });
    expect(inputsOf(db, GetItemCommand)).toEqual([
      { TableName: TABLE, Key: { pk: { S: 'fleet' }, sk: { S: 'lock' } }, ConsistentRead: true },
    ]);
  });

  it('reports the fleet busy when the holder released it between the put and the read', async () => {
    db.on(PutItemCommand).rejects(conditionFailed());
    db.on(GetItemCommand).resolves({});
    expect(await store().acquire(EXECUTION_ARN, 'phoenix', NOW, 60)).toEqual({
      owner: 'unknown',
      action: 'unknown',
      acquiredAt: 'unknown',
      expiresAt: nowSeconds,
    });
  });

  it('propagates any other DynamoDB error', async () => {
    db.on(PutItemCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(store().acquire(EXECUTION_ARN, 'phoenix', NOW, 60)).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});

describe('DynamoDbLedgerStore.release', () => {
  it('deletes the lock only if this owner holds it', async () => {
    db.on(DeleteItemCommand).resolves({});
    expect(await store().release(EXECUTION_ARN)).toBe(true);
    expect(inputsOf(db, DeleteItemCommand)).toEqual([
      {
        TableName: TABLE,
        Key: { pk: { S: 'fleet' }, sk: { S: 'lock' } },
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: EXECUTION_ARN } },
      },
    ]);
  });

  it('returns false, without failing, when the lock is gone or someone else holds it', async () => {
    db.on(DeleteItemCommand).rejects(conditionFailed());
    expect(await store().release(EXECUTION_ARN)).toBe(false);
  });

  it('propagates any other DynamoDB error', async () => {
    db.on(DeleteItemCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    await expect(store().release(EXECUTION_ARN)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('DynamoDbLedgerStore fleet record', () => {
  const record = fleet();
  const stateKey = { pk: { S: 'fleet' }, sk: { S: 'state' } };

  it('reads the record consistently', async () => {
    db.on(GetItemCommand).resolves({ Item: { ...stateKey, record: { S: JSON.stringify(record) } } });
    expect(await store().fleet()).toEqual(record);
    expect(inputsOf(db, GetItemCommand)).toEqual([{ TableName: TABLE, Key: stateKey, ConsistentRead: true }]);
  });

  it('returns undefined before the first rollout', async () => {
    db.on(GetItemCommand).resolves({});
    expect(await store().fleet()).toBeUndefined();
  });

  it('creates the record only where none exists', async () => {
    db.on(PutItemCommand).resolves({});
    expect(await store().createFleet(record)).toEqual(record);
    expect(inputsOf(db, PutItemCommand)).toEqual([
      {
        TableName: TABLE,
        Item: { ...stateKey, record: { S: JSON.stringify(record) }, generation: { N: '5' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    ]);
  });

  it('returns the record another execution created first', async () => {
    const theirs = fleet({ generation: 0, liveColour: 'green' });
    db.on(PutItemCommand).rejects(conditionFailed());
    db.on(GetItemCommand).resolves({ Item: { ...stateKey, record: { S: JSON.stringify(theirs) } } });
    expect(await store().createFleet(record)).toEqual(theirs);
  });

  it('replaces the record only at the expected generation', async () => {
    db.on(PutItemCommand).resolves({});
    const next = fleet({ generation: 6, releasedImage: 'ami-0bbbbbbbbbbbbbbbb' });
    expect(await store().replaceFleet(next, 5)).toBe(true);
    expect(inputsOf(db, PutItemCommand)).toEqual([
      {
        TableName: TABLE,
        Item: { ...stateKey, record: { S: JSON.stringify(next) }, generation: { N: '6' } },
        ConditionExpression: 'generation = :expected',
        ExpressionAttributeValues: { ':expected': { N: '5' } },
      },
    ]);
  });

  it('returns false when another writer moved the generation on', async () => {
    db.on(PutItemCommand).rejects(conditionFailed());
    expect(await store().replaceFleet(fleet({ generation: 6 }), 5)).toBe(false);
  });
});

describe('DynamoDbLedgerStore ledger entries', () => {
  const startedAt = '2026-03-02T09:59:00.000Z';

  it('sorts entries by start time, then execution name', () => {
    expect(ledgerSortKey(startedAt, 'run-1')).toBe('2026-03-02T09:59:00.000Z#run-1');
  });

  it('writes an entry with only its string fields', async () => {
    db.on(PutItemCommand).resolves({});
    await store().recordStart({
      execution: EXECUTION_ARN,
      executionName: 'run-1',
      startedAt,
      action: 'canary',
      trigger: 'console',
      reason: 'new image',
      status: 'IN_PROGRESS',
      fromImage: 'ami-0aaaaaaaaaaaaaaaa',
      toImage: 'ami-0bbbbbbbbbbbbbbbb',
    });
    expect(inputsOf(db, PutItemCommand)).toEqual([
      {
        TableName: TABLE,
        Item: {
          pk: { S: 'rollout' },
          sk: { S: `${startedAt}#run-1` },
          execution: { S: EXECUTION_ARN },
          executionName: { S: 'run-1' },
          startedAt: { S: startedAt },
          action: { S: 'canary' },
          trigger: { S: 'console' },
          reason: { S: 'new image' },
          status: { S: 'IN_PROGRESS' },
          fromImage: { S: 'ami-0aaaaaaaaaaaaaaaa' },
          toImage: { S: 'ami-0bbbbbbbbbbbbbbbb' },
        },
      },
    ]);
  });

  it('closes an entry with every attribute name aliased (status is a reserved word)', async () => {
    db.on(UpdateItemCommand).resolves({});
    await store().recordEnd(startedAt, 'run-1', {
      status: 'FAILED',
      endedAt: NOW.toISOString(),
      error: 'CanaryFailed',
      cause: 'step 1/3 failed',
    });
    expect(inputsOf(db, UpdateItemCommand)).toEqual([
      {
        TableName: TABLE,
        Key: { pk: { S: 'rollout' }, sk: { S: `${startedAt}#run-1` } },
        UpdateExpression: 'SET #status = :status, #endedAt = :endedAt, #error = :error, #cause = :cause',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#endedAt': 'endedAt',
          '#error': 'error',
          '#cause': 'cause',
        },
        ExpressionAttributeValues: {
          ':status': { S: 'FAILED' },
          ':endedAt': { S: NOW.toISOString() },
          ':error': { S: 'CanaryFailed' },
          ':cause': { S: 'step 1/3 failed' },
        },
      },
    ]);
  });

  it('lists the newest entries first', async () => {
    db.on(QueryCommand).resolves({
      Items: [
        {
          pk: { S: 'rollout' },
          sk: { S: `${startedAt}#run-1` },
          execution: { S: EXECUTION_ARN },
          executionName: { S: 'run-1' },
          startedAt: { S: startedAt },
          action: { S: 'phoenix' },
          trigger: { S: 'schedule' },
          reason: { S: 'scheduled phoenix rotation' },
          status: { S: 'SUCCEEDED' },
          fromImage: { S: 'ami-0aaaaaaaaaaaaaaaa' },
          compensation: { S: 'FAILED' },
        },
      ],
    });
    expect(await store().history(10)).toEqual([
      {
        execution: EXECUTION_ARN,
        executionName: 'run-1',
        startedAt,
        action: 'phoenix',
        trigger: 'schedule',
        reason: 'scheduled phoenix rotation',
        status: 'SUCCEEDED',
        fromImage: 'ami-0aaaaaaaaaaaaaaaa',
        compensation: 'FAILED',
      },
    ]);
    expect(inputsOf(db, QueryCommand)).toEqual([
      {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'rollout' } },
        ScanIndexForward: false,
        Limit: 10,
      },
    ]);
  });
});

describe('DynamoDbLedgerStore.countRecovery', () => {
  const KEY = { pk: { S: 'fleet' }, sk: { S: 'recoveries' } };
  const counted = (starts: Array<{ execution: string; at: string }>, version: number) => ({
    Item: { ...KEY, starts: { S: JSON.stringify(starts) }, version: { N: String(version) } },
  });
  const earlier = (n: number, secondsAgo: number) => ({
    execution: `earlier-${n}`,
    at: new Date(NOW.getTime() - secondsAgo * 1000).toISOString(),
  });

  it('counts a restore in the window on condition the item is as read, forgetting older ones', async () => {
    db.on(GetItemCommand).resolves(counted([earlier(1, 4000), earlier(2, 100)], 4));
    db.on(PutItemCommand).resolves({});
    expect(await store().countRecovery(EXECUTION_ARN, NOW, 3600, 3)).toEqual({ allowed: true, recent: 2 });
    expect(inputsOf(db, PutItemCommand)).toEqual([
      {
        TableName: TABLE,
        Item: {
          ...KEY,
          starts: {
            S: JSON.stringify([earlier(2, 100), { execution: EXECUTION_ARN, at: NOW.toISOString() }]),
          },
          version: { N: '5' },
        },
        ConditionExpression: 'attribute_not_exists(pk) OR version = :read',
        ExpressionAttributeValues: { ':read': { N: '4' } },
      },
    ]);
  });

  it('refuses, writing nothing, when the window is full; allows again what it counted already', async () => {
    db.on(GetItemCommand).resolves(counted([earlier(1, 300), earlier(2, 200), earlier(3, 100)], 3));
    expect(await store().countRecovery(EXECUTION_ARN, NOW, 3600, 3)).toEqual({ allowed: false, recent: 3 });
    expect(await store().countRecovery('earlier-2', NOW, 3600, 3)).toEqual({ allowed: true, recent: 3 });
    expect(inputsOf(db, PutItemCommand)).toEqual([]);
  });

  it('reads again when another janitor counted first', async () => {
    db.on(GetItemCommand)
      .resolvesOnce({})
      .resolves(counted([earlier(1, 100)], 1));
    db.on(PutItemCommand).rejectsOnce(conditionFailed()).resolves({});
    expect(await store().countRecovery(EXECUTION_ARN, NOW, 3600, 3)).toEqual({ allowed: true, recent: 2 });
    expect(inputsOf(db, PutItemCommand)).toHaveLength(2);
  });
});

describe('DynamoDbLedgerStore.closeOpen', () => {
  const startedAt = '2026-03-02T08:00:00.000Z';
  const close = () =>
    store().closeOpen(
      { startedAt, executionName: 'stopped' },
      'ABANDONED',
      'ended without recording an outcome',
    );

  it('closes an entry on condition it is still open, with every attribute name aliased', async () => {
    db.on(UpdateItemCommand).resolves({});
    expect(await close()).toBe(true);
    expect(inputsOf(db, UpdateItemCommand)).toEqual([
      {
        TableName: TABLE,
        Key: { pk: { S: 'rollout' }, sk: { S: `${startedAt}#stopped` } },
        UpdateExpression: 'SET #status = :closed, #cause = :cause',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status', '#cause': 'cause' },
        ExpressionAttributeValues: {
          ':closed': { S: 'ABANDONED' },
          ':open': { S: 'IN_PROGRESS' },
          ':cause': { S: 'ended without recording an outcome' },
        },
      },
    ]);
  });

  it('returns false, without failing, when the entry was closed meanwhile', async () => {
    db.on(UpdateItemCommand).rejects(conditionFailed());
    expect(await close()).toBe(false);
  });

  it('propagates any other DynamoDB error', async () => {
    db.on(UpdateItemCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(close()).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('DynamoDbLedgerStore as deployed (bundled and minified)', () => {
  // The functions ship minified without keepNames (tools/bundle-handlers.mjs), which renames classes: the store must still
  // recognise DynamoDB's ConditionalCheckFailedException by the name the SDK gives it.
  let Bundled: typeof DynamoDbLedgerStore;

  let dir: string;

  beforeAll(async () => {
    dir = scratchDir();
    const outfile = join(dir, 'store.cjs');
    await build({
      entryPoints: [join(__dirname, '..', '..', '..', 'lambda', 'aws', 'dynamodb.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs', // loaded here; the deployed ESM bundle is minified the same way
      minify: true,
      keepNames: false,
      target: 'node24',
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    Bundled = ((await import(outfile)) as { DynamoDbLedgerStore: typeof DynamoDbLedgerStore })
      .DynamoDbLedgerStore;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const conditionFailedError = () =>
    Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
  /** A client that fails every conditional write as DynamoDB does, and returns `item` on reads. */
  const busyTable = (item?: object) => ({
    send: (command: { input: object }) =>
      'ConditionExpression' in command.input
        ? Promise.reject(conditionFailedError())
        : Promise.resolve({ Item: item }),
  });

  it('reports the holder when the lock is taken', async () => {
    const s = new Bundled(busyTable(lockItem) as never, TABLE);
    await expect(s.acquire(EXECUTION_ARN, 'phoenix', NOW, 60)).resolves.toMatchObject({ action: 'canary' });
  });

  it('returns false when releasing a lock it does not hold, replacing a moved record, or closing a closed entry', async () => {
    const s = new Bundled(busyTable() as never, TABLE);
    await expect(s.release(EXECUTION_ARN)).resolves.toBe(false);
    await expect(s.replaceFleet(fleet(), 4)).resolves.toBe(false);
    await expect(
      s.closeOpen({ startedAt: NOW.toISOString(), executionName: 'run-1' }, 'ABANDONED', 'x'),
    ).resolves.toBe(false);
  });
});
