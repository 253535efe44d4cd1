import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { propertyRuns } from '../../support/properties';
import type { FleetSimulator } from '../../../rehearsal/simulator';
import { equals } from '../../../rehearsal/simulator/dynamodb/attribute-value';
import {
  evaluate,
  ExpressionContext,
  parseCondition,
} from '../../../rehearsal/simulator/dynamodb/expressions';
import { RESERVED_WORDS } from '../../../rehearsal/simulator/dynamodb/reserved-words';
import { TABLE } from './fixtures';
import { clients, rejection, simulate } from './harness';

let sim: FleetSimulator;
let uninstall: () => void;
beforeEach(() => ({ sim, uninstall } = simulate()));
afterEach(() => uninstall());

const key = { pk: { S: 'fleet' }, sk: { S: 'lock' } };
/** The ledger's lock: free, expired, or already this owner's. */
const acquire = (owner: string, now: number) =>
  clients.dynamodb.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: { ...key, owner: { S: owner }, expiresAt: { N: String(now + 3600) } },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':now': { N: String(now) }, ':owner': { S: owner } },
    }),
  );
const entry = (sk: string) => ({ pk: { S: 'rollout' }, sk: { S: sk } });

describe('DynamoDB items and conditions', () => {
  it('takes a lock once; a second owner fails until it expires', async () => {
    await acquire('exec-1', 1000);
    const second = await rejection(acquire('exec-2', 2000));
    expect(second).toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
    });
    await acquire('exec-1', 2000);
    await acquire('exec-2', 6000);
    expect(sim.item(TABLE, { pk: 'fleet', sk: 'lock' })).toEqual({
      pk: 'fleet',
      sk: 'lock',
      owner: 'exec-2',
      expiresAt: 9600,
    });
  });

  it("deletes only the owner's item; reads it consistently", async () => {
    await acquire('exec-1', 1000);
    const release = (owner: string) =>
      clients.dynamodb.send(
        new DeleteItemCommand({
          TableName: TABLE,
          Key: key,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    expect((await rejection(release('exec-2'))).name).toBe('ConditionalCheckFailedException');
    const held = await clients.dynamodb.send(
      new GetItemCommand({ TableName: TABLE, Key: key, ConsistentRead: true }),
    );
    expect(held.Item?.owner).toEqual({ S: 'exec-1' });
    await release('exec-1');
    expect(
      (await clients.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: key }))).Item,
    ).toBeUndefined();
  });

  it('creates once, then replaces only at the expected generation', async () => {
    const create = () =>
      clients.dynamodb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'fleet' }, sk: { S: 'state' }, generation: { N: '1' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    const replace = (expected: number) =>
      clients.dynamodb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'fleet' }, sk: { S: 'state' }, generation: { N: String(expected + 1) } },
          ConditionExpression: 'generation = :expected',
          ExpressionAttributeValues: { ':expected': { N: String(expected) } },
        }),
      );
    await create();
    expect((await rejection(create())).name).toBe('ConditionalCheckFailedException');
    await replace(1);
    expect((await rejection(replace(1))).name).toBe('ConditionalCheckFailedException');
    expect(sim.item(TABLE, { pk: 'fleet', sk: 'state' })?.generation).toBe(2);
  });

  it('updates with SET, creating the item when missing, and only while the condition holds', async () => {
    await clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: entry('2030-01-01#a'),
        UpdateExpression: 'SET #status = :status, #cause = :cause',
        ExpressionAttributeNames: { '#status': 'status', '#cause': 'cause' },
        ExpressionAttributeValues: { ':status': { S: 'IN_PROGRESS' }, ':cause': { S: 'started' } },
      }),
    );
    const close = () =>
      clients.dynamodb.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: entry('2030-01-01#a'),
          UpdateExpression: 'SET #status = :closed',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':closed': { S: 'ABANDONED' }, ':open': { S: 'IN_PROGRESS' } },
        }),
      );
    await close();
    expect((await rejection(close())).name).toBe('ConditionalCheckFailedException');
    expect(sim.item(TABLE, { pk: 'rollout', sk: '2030-01-01#a' })).toEqual({
      pk: 'rollout',
      sk: '2030-01-01#a',
      status: 'ABANDONED',
      cause: 'started',
    });
  });

  it('queries a partition newest first, up to Limit, saying where it stopped', async () => {
    for (const sk of ['2030-01-03#c', '2030-01-01#a', '2030-01-02#b'])
      await clients.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: entry(sk) }));
    await acquire('exec-1', 0);
    const page = await clients.dynamodb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'rollout' } },
        ScanIndexForward: false,
        Limit: 2,
      }),
    );
    expect(page.Items?.map((i) => i.sk?.S)).toEqual(['2030-01-03#c', '2030-01-02#b']);
    expect(page.LastEvaluatedKey).toEqual(entry('2030-01-02#b'));
    const all = await clients.dynamodb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'rollout' } },
      }),
    );
    expect(all).toMatchObject({ Count: 3, ScannedCount: 3 });
    expect(all.Items?.map((i) => i.sk?.S)).toEqual(['2030-01-01#a', '2030-01-02#b', '2030-01-03#c']);
    expect(all.LastEvaluatedKey).toBeUndefined();
  });

  it('fails when the key does not match the schema or the table does not exist', async () => {
    const badKey = await rejection(
      clients.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'x' } } })),
    );
    expect(badKey.message).toBe('The provided key element does not match the schema');
    const noTable = await rejection(
      clients.dynamodb.send(new GetItemCommand({ TableName: 'nope', Key: key })),
    );
    expect(noTable.name).toBe('ResourceNotFoundException');
  });
});

describe('where DynamoDB refuses a request, so does the simulator', () => {
  const s = (v: string): AttributeValue => ({ S: v });
  it.each([
    [
      'a reserved word is a bare name',
      { UpdateExpression: 'SET status = :s', ExpressionAttributeValues: { ':s': s('x') } },
      'reserved keyword: status',
    ],
    [
      'a value is not used',
      { UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': s('x'), ':b': s('y') } },
      'unused',
    ],
    [
      'a name is not used',
      {
        UpdateExpression: 'SET a = :a',
        ExpressionAttributeNames: { '#b': 'b' },
        ExpressionAttributeValues: { ':a': s('x') },
      },
      'unused',
    ],
    ['a value is not defined', { UpdateExpression: 'SET a = :a' }, 'not defined'],
    [
      'a name is not defined',
      { UpdateExpression: 'SET #a = :a', ExpressionAttributeValues: { ':a': s('x') } },
      'not defined',
    ],
    [
      'one attribute is set twice',
      { UpdateExpression: 'SET a = :a, a = :a', ExpressionAttributeValues: { ':a': s('x') } },
      'overlap',
    ],
    [
      'the key is updated',
      { UpdateExpression: 'SET pk = :a', ExpressionAttributeValues: { ':a': s('x') } },
      'part of the key',
    ],
    [
      'the syntax is wrong',
      { UpdateExpression: 'SET a = = :a', ExpressionAttributeValues: { ':a': s('x') } },
      'Syntax error',
    ],
    [
      'a section repeats',
      { UpdateExpression: 'SET a = :a SET b = :a', ExpressionAttributeValues: { ':a': s('x') } },
      'only be used once',
    ],
    ['the expression is empty', { UpdateExpression: ' ' }, 'can not be empty'],
    [
      'a function does not exist',
      {
        UpdateExpression: 'SET a = :a',
        ConditionExpression: 'exists(a)',
        ExpressionAttributeValues: { ':a': s('x') },
      },
      'Invalid function name',
    ],
    [
      'a condition names a reserved word',
      {
        UpdateExpression: 'SET a = :a',
        ConditionExpression: 'owner = :a',
        ExpressionAttributeValues: { ':a': s('x') },
      },
      'reserved keyword: owner',
    ],
  ])('fails with ValidationException when %s', async (_, input, message) => {
    const error = await rejection(
      clients.dynamodb.send(new UpdateItemCommand({ TableName: TABLE, Key: key, ...input })),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(message);
    expect(sim.item(TABLE, { pk: 'fleet', sk: 'lock' })).toBeUndefined();
  });

  it('fails with ValidationException when a query conditions on anything but the partition key', async () => {
    const query = (KeyConditionExpression: string) =>
      rejection(
        clients.dynamodb.send(
          new QueryCommand({
            TableName: TABLE,
            KeyConditionExpression,
            ExpressionAttributeValues: { ':v': s('x') },
          }),
        ),
      );
    expect((await query('sk = :v')).message).toBe('Query condition missed key schema element: pk');
    expect((await query('pk < :v')).name).toBe('ValidationException');
    expect((await query('pk = :v OR pk = :v')).name).toBe('ValidationException');
  });

  it('knows every reserved word AWS lists, from its first to its last', () => {
    expect(RESERVED_WORDS.size).toBe(573);
    expect([...RESERVED_WORDS].slice(0, 2)).toEqual(['ABORT', 'ABSOLUTE']);
    expect([...RESERVED_WORDS].at(-1)).toBe('ZONE');
  });
});

describe('what the simulator does not model fails loudly, naming it', () => {
  const v = { ':a': { S: 'x' }, ':b': { S: 'y' } };
  it.each([
    ['AND', { ConditionExpression: 'a = :a AND b = :b', ExpressionAttributeValues: v }],
    ['NOT', { ConditionExpression: 'NOT a = :a', ExpressionAttributeValues: { ':a': v[':a'] } }],
    ['Parentheses', { ConditionExpression: '(a = :a)', ExpressionAttributeValues: { ':a': v[':a'] } }],
    ['BETWEEN', { ConditionExpression: 'a BETWEEN :a AND :b', ExpressionAttributeValues: v }],
    ['IN', { ConditionExpression: 'a IN (:a, :b)', ExpressionAttributeValues: v }],
    [
      'begins_with',
      { ConditionExpression: 'begins_with(a, :a)', ExpressionAttributeValues: { ':a': v[':a'] } },
    ],
    ['contains', { ConditionExpression: 'contains(a, :a)', ExpressionAttributeValues: { ':a': v[':a'] } }],
    ['nested paths', { ConditionExpression: 'a.b = :a', ExpressionAttributeValues: { ':a': v[':a'] } }],
    [
      'ReturnValuesOnConditionCheckFailure',
      {
        ConditionExpression: 'a = :a',
        ExpressionAttributeValues: { ':a': v[':a'] },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    ],
  ])('in a condition: %s', async (what, input) => {
    const error = await rejection(
      clients.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: key, ...input })),
    );
    expect(error.name).toBe('SimulatorUnsupportedError');
    expect(error.message).toContain(what);
    expect(sim.item(TABLE, { pk: 'fleet', sk: 'lock' })).toBeUndefined();
  });

  it.each<[string, string, Record<string, AttributeValue>, { ReturnValues?: 'ALL_NEW' }?]>([
    ['REMOVE', 'REMOVE a', {}],
    ['ADD', 'ADD a :a', { ':a': { N: '1' } }],
    ['arithmetic', 'SET a = :a + :a', { ':a': { N: '1' } }],
    ['if_not_exists', 'SET a = if_not_exists(a, :a)', { ':a': { N: '1' } }],
    ['Setting an attribute from another', 'SET a = b', {}],
    ['ReturnValues', 'SET a = :a', { ':a': { N: '1' } }, { ReturnValues: 'ALL_NEW' }],
  ])('in an update: %s', async (what, UpdateExpression, values, extra = {}) => {
    const error = await rejection(
      clients.dynamodb.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: key,
          UpdateExpression,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
          ...extra,
        }),
      ),
    );
    expect(error.name).toBe('SimulatorUnsupportedError');
    expect(error.message).toContain(what);
  });

  it.each([
    ['a sort key condition', { KeyConditionExpression: 'pk = :a AND begins_with(sk, :b)' }],
    ['FilterExpression', { KeyConditionExpression: 'pk = :a', FilterExpression: 'b = :b' }],
    ['ExclusiveStartKey', { KeyConditionExpression: 'pk = :a', ExclusiveStartKey: key }],
    ['IndexName', { KeyConditionExpression: 'pk = :a', IndexName: 'byTime' }],
  ])('in a query: %s', async (_, input) => {
    const error = await rejection(
      clients.dynamodb.send(new QueryCommand({ TableName: TABLE, ExpressionAttributeValues: v, ...input })),
    );
    expect(error.name).toBe('SimulatorUnsupportedError');
  });
});

describe('condition evaluator properties', () => {
  const scalar = fc.oneof(
    fc.string({ maxLength: 4 }).map((S): AttributeValue => ({ S })),
    fc.integer({ min: -50, max: 50 }).map((n): AttributeValue => ({ N: String(n) })),
    fc.boolean().map((BOOL): AttributeValue => ({ BOOL })),
  );
  const item = fc.record({
    a: fc.option(scalar, { nil: undefined }),
    b: fc.option(scalar, { nil: undefined }),
  });
  const cond = (
    source: string,
    values: Record<string, AttributeValue>,
    it: Record<string, AttributeValue | undefined>,
  ) => {
    const defined = Object.fromEntries(Object.entries(it).filter(([, v]) => v !== undefined)) as Record<
      string,
      AttributeValue
    >;
    return evaluate(parseCondition(source, new ExpressionContext({}, values)), defined);
  };

  it('OR holds when any of its terms holds', () => {
    const ops = ['=', '<>', '<', '<=', '>', '>='];
    fc.assert(
      fc.property(item, scalar, fc.constantFrom(...ops), fc.constantFrom(...ops), (it, v, op1, op2) => {
        const values = { ':v': v };
        const x = cond(`a ${op1} :v`, values, it);
        const y = cond(`b ${op2} :v`, values, it);
        expect(cond(`a ${op1} :v OR b ${op2} :v`, values, it)).toBe(x || y);
        expect(cond(`attribute_not_exists(a) OR b ${op2} :v OR a ${op1} :v`, values, it)).toBe(
          it.a === undefined || x || y,
        );
      }),
      propertyRuns(300),
    );
  });

  it('= and <> are complements; ordering is total within a type and false across types', () => {
    fc.assert(
      fc.property(item, scalar, (it, v) => {
        const values = { ':v': v };
        expect(cond('a = :v', values, it)).toBe(!cond('a <> :v', values, it));
        expect(cond('a = :v', values, it)).toBe(equals(it.a, v));
        const sameType = it.a !== undefined && Object.keys(it.a)[0] === Object.keys(v)[0] && !('BOOL' in v);
        const lt = cond('a < :v', values, it);
        const gt = cond('a > :v', values, it);
        const eq = cond('a = :v', values, it);
        if (sameType) expect([lt, gt, eq].filter(Boolean)).toHaveLength(1);
        else expect(lt || gt).toBe(false);
        expect(cond('a <= :v', values, it)).toBe(sameType && (lt || eq));
        expect(cond('a >= :v', values, it)).toBe(sameType && (gt || eq));
      }),
      propertyRuns(300),
    );
  });

  it('attribute_exists and attribute_not_exists are complements', () => {
    fc.assert(
      fc.property(item, (it) => {
        expect(cond('attribute_exists(a)', {}, it)).toBe(it.a !== undefined);
        expect(cond('attribute_not_exists(a)', {}, it)).toBe(it.a === undefined);
      }),
    );
  });
});
