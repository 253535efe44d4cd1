import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import type { FleetSimulator } from '../../../rehearsal/simulator';
import { equals } from '../../../rehearsal/simulator/dynamodb/attribute-value';
import {
  evaluate,
  ExpressionContext,
  parseCondition,
} from '../../../rehearsal/simulator/dynamodb/expressions';
import { TABLE } from './fixtures';
import { clients, rejection, simulate } from './harness';

let sim: FleetSimulator;
let uninstall: () => void;
beforeEach(() => ({ sim, uninstall } = simulate()));
afterEach(() => uninstall());

const key = { pk: { S: 'lock#web' }, sk: { S: 'current' } };
const acquire = (owner: string, now: number) =>
  clients.dynamodb.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: { ...key, owner_id: { S: owner }, expires: { N: String(now + 3600) } },
      ConditionExpression: 'attribute_not_exists(pk) OR expires < :now OR owner_id = :me',
      ExpressionAttributeValues: { ':now': { N: String(now) }, ':me': { S: owner } },
    }),
  );

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
    expect(sim.item(TABLE, { pk: 'lock#web', sk: 'current' })).toEqual({
      pk: 'lock#web',
      sk: 'current',
      owner_id: 'exec-2',
      expires: 9600,
    });
  });

  it('returns the current item on a failed condition when asked', async () => {
    await acquire('exec-1', 1000);
    const error = await rejection(
      clients.dynamodb.send(
        new DeleteItemCommand({
          TableName: TABLE,
          Key: key,
          ConditionExpression: 'owner_id = :me',
          ExpressionAttributeValues: { ':me': { S: 'exec-2' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(error.Item).toMatchObject({ owner_id: { S: 'exec-1' } });
  });

  it('updates with SET, if_not_exists, arithmetic, REMOVE and ADD', async () => {
    await clients.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { ...key, note: { S: 'x' } } }));
    const out = await clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key,
        UpdateExpression:
          'SET #s = :s, attempts = if_not_exists(attempts, :zero) + :one, started = if_not_exists(started, :t) REMOVE note ADD launches :two',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': { S: 'RUNNING' },
          ':zero': { N: '0' },
          ':one': { N: '1' },
          ':t': { S: 'now' },
          ':two': { N: '2' },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(out.Attributes).toEqual({
      ...key,
      status: { S: 'RUNNING' },
      attempts: { N: '1' },
      started: { S: 'now' },
      launches: { N: '2' },
    });
    const old = await clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key,
        UpdateExpression: 'SET attempts = attempts + :one ADD launches :two',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':two': { N: '2' } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    expect(old.Attributes?.attempts).toEqual({ N: '1' });
    expect(sim.item(TABLE, { pk: 'lock#web', sk: 'current' })).toMatchObject({ attempts: 2, launches: 4 });
  });

  it('gets with ConsistentRead and a projection; deletes with ALL_OLD', async () => {
    await acquire('exec-1', 0);
    const got = await clients.dynamodb.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: 'owner_id',
      }),
    );
    expect(got.Item).toEqual({ owner_id: { S: 'exec-1' } });
    const deleted = await clients.dynamodb.send(
      new DeleteItemCommand({ TableName: TABLE, Key: key, ReturnValues: 'ALL_OLD' }),
    );
    expect(deleted.Attributes?.owner_id).toEqual({ S: 'exec-1' });
    expect(
      (await clients.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: key }))).Item,
    ).toBeUndefined();
  });

  it('queries a partition by sort key order, with begins_with, Limit and paging', async () => {
    for (const sk of ['release#2030-01-03', 'release#2030-01-01', 'release#2030-01-02', 'lock'])
      await clients.dynamodb.send(
        new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'web' }, sk: { S: sk } } }),
      );
    const page = await clients.dynamodb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: 'web' }, ':prefix': { S: 'release#' } },
        ScanIndexForward: false,
        Limit: 2,
      }),
    );
    expect(page.Items?.map((i) => i.sk?.S)).toEqual(['release#2030-01-03', 'release#2030-01-02']);
    const rest = await clients.dynamodb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: 'web' }, ':prefix': { S: 'release#' } },
        ScanIndexForward: false,
        ExclusiveStartKey: page.LastEvaluatedKey,
      }),
    );
    expect(rest.Items?.map((i) => i.sk?.S)).toEqual(['release#2030-01-01']);
    expect(rest.LastEvaluatedKey).toBeUndefined();
  });

  it.each([
    [
      'a reserved word is used as a name',
      { UpdateExpression: 'SET status = :s', ExpressionAttributeValues: { ':s': { S: 'x' } } },
      'reserved keyword: status',
    ],
    [
      'a value is not used',
      { UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' }, ':b': { S: 'y' } } },
      'unused',
    ],
    ['a value is not defined', { UpdateExpression: 'SET a = :a' }, 'not defined'],
    [
      'two paths overlap',
      { UpdateExpression: 'SET a = :a, a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } },
      'overlap',
    ],
    [
      'the key is updated',
      { UpdateExpression: 'SET pk = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } },
      'part of the key',
    ],
    [
      'the syntax is wrong',
      { UpdateExpression: 'SET a = = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } },
      'Syntax error',
    ],
    [
      'a section repeats',
      { UpdateExpression: 'SET a = :a SET b = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } },
      'only be used once',
    ],
    [
      'arithmetic meets a string',
      { UpdateExpression: 'SET a = :a + :a', ExpressionAttributeValues: { ':a': { S: 'x' } } },
      'incorrect data type',
    ],
  ])('fails with ValidationException when %s', async (_, input, message) => {
    const error = await rejection(
      clients.dynamodb.send(new UpdateItemCommand({ TableName: TABLE, Key: key, ...input })),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(message);
    expect(sim.item(TABLE, { pk: 'lock#web', sk: 'current' })).toBeUndefined();
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

  it('refuses expressions outside its grammar with an unsupported-expression error', async () => {
    const error = await rejection(
      clients.dynamodb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: key,
          ConditionExpression: 'contains(tags, :t)',
          ExpressionAttributeValues: { ':t': { S: 'x' } },
        }),
      ),
    );
    expect(error.name).toBe('SimulatorUnsupportedError');
    expect(error.message).toContain('contains');
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
    const ctx = new ExpressionContext({}, values);
    const defined = Object.fromEntries(Object.entries(it).filter(([, v]) => v !== undefined)) as Record<
      string,
      AttributeValue
    >;
    return evaluate(parseCondition(source, ctx), defined, ctx);
  };

  it('NOT, AND and OR follow boolean logic over any comparisons', () => {
    const ops = ['=', '<>', '<', '<=', '>', '>='];
    fc.assert(
      fc.property(item, scalar, fc.constantFrom(...ops), fc.constantFrom(...ops), (it, v, op1, op2) => {
        const values = { ':v': v };
        const x = cond(`a ${op1} :v`, values, it);
        const y = cond(`b ${op2} :v`, values, it);
        expect(cond(`NOT (a ${op1} :v)`, values, it)).toBe(!x);
        expect(cond(`a ${op1} :v AND b ${op2} :v`, values, it)).toBe(x && y);
        expect(cond(`a ${op1} :v OR b ${op2} :v`, values, it)).toBe(x || y);
        expect(cond(`NOT a ${op1} :v OR b ${op2} :v`, values, it)).toBe(!x || y);
      }),
      { numRuns: 300 },
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
        expect(cond('a BETWEEN :v AND :v', values, it)).toBe(sameType && eq);
      }),
      { numRuns: 300 },
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
