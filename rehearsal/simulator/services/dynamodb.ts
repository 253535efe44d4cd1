import type {
  AttributeValue,
  DeleteItemCommandInput,
  DeleteItemCommandOutput,
  GetItemCommandInput,
  GetItemCommandOutput,
  PutItemCommandInput,
  PutItemCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  UpdateItemCommandInput,
  UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { compare, invalidReason, typeOf, type AttributeMap } from '../dynamodb/attribute-value';
import {
  applyUpdate,
  evaluate,
  ExpressionContext,
  parseCondition,
  parseProjection,
  parseUpdate,
  resolvePath,
  validation,
  type Condition,
  type Operand,
} from '../dynamodb/expressions';
import { awsError, SimulatorUnsupportedError } from '../errors';
import type { World } from '../world';

type Out<T> = Omit<T, '$metadata'>;

interface Table {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly items: Map<string, AttributeMap>;
}

/** The key attributes' canonical form, typed so that S "1" and N "1" differ. */
function keyString(table: Table, key: AttributeMap): string {
  const part = (name: string) => {
    const value = key[name] as AttributeValue;
    const type = typeOf(value) as string;
    const raw = (value as unknown as Record<string, unknown>)[type];
    return `${type}:${type === 'B' ? Buffer.from(raw as Uint8Array).toString('base64') : String(raw)}`;
  };
  return table.sortKey ? `${part(table.partitionKey)}\u0000${part(table.sortKey)}` : part(table.partitionKey);
}

const ITEM_LIMIT_BYTES = 400 * 1024;

/**
 * DynamoDB (low-level AttributeValue maps) over the spec's tables.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
export class DynamoDbService {
  readonly tables = new Map<string, Table>();

  constructor(world: World) {
    for (const t of world.spec.tables)
      this.tables.set(t.name, {
        name: t.name,
        partitionKey: t.partitionKey,
        ...(t.sortKey !== undefined ? { sortKey: t.sortKey } : {}),
        items: new Map(),
      });
  }

  putItem(input: PutItemCommandInput): Out<PutItemCommandOutput> {
    this.refuse(input, ['Expected', 'ConditionalOperator'], 'PutItem');
    const table = this.table(input.TableName);
    const item = input.Item ?? {};
    for (const [name, value] of Object.entries(item)) {
      const reason = invalidReason(value, name);
      if (reason) throw validation(`One or more parameter values were invalid: ${reason}`);
    }
    this.checkKey(table, item, false);
    if (JSON.stringify(item).length > ITEM_LIMIT_BYTES)
      throw validation('Item size has exceeded the maximum allowed size');
    const returnValues = input.ReturnValues ?? 'NONE';
    if (!['NONE', 'ALL_OLD'].includes(returnValues))
      throw validation(`ReturnValues ${returnValues} is not valid for PutItem`);
    const ctx = this.context(input);
    const condition = input.ConditionExpression ? parseCondition(input.ConditionExpression, ctx) : undefined;
    ctx.checkAllUsed();
    const key = keyString(table, item);
    const old = table.items.get(key);
    this.check(condition, old, ctx, input.ReturnValuesOnConditionCheckFailure);
    table.items.set(key, structuredClone(item));
    return returnValues === 'ALL_OLD' && old ? { Attributes: structuredClone(old) } : {};
  }

  getItem(input: GetItemCommandInput): Out<GetItemCommandOutput> {
    this.refuse(input, ['AttributesToGet'], 'GetItem');
    const table = this.table(input.TableName);
    const keyMap = input.Key ?? {};
    this.checkKey(table, keyMap, true);
    const ctx = this.context(input);
    const projection = input.ProjectionExpression
      ? parseProjection(input.ProjectionExpression, ctx)
      : undefined;
    ctx.checkAllUsed();
    const item = table.items.get(keyString(table, keyMap));
    if (!item) return {};
    return { Item: projection ? project(item, projection) : structuredClone(item) };
  }

  updateItem(input: UpdateItemCommandInput): Out<UpdateItemCommandOutput> {
    this.refuse(input, ['AttributeUpdates', 'Expected', 'ConditionalOperator'], 'UpdateItem');
    const table = this.table(input.TableName);
    const keyMap = input.Key ?? {};
    this.checkKey(table, keyMap, true);
    const returnValues = input.ReturnValues ?? 'NONE';
    if (returnValues === 'UPDATED_OLD' || returnValues === 'UPDATED_NEW')
      throw new SimulatorUnsupportedError(`UpdateItem ReturnValues ${returnValues} is not simulated`);
    if (!['NONE', 'ALL_OLD', 'ALL_NEW'].includes(returnValues))
      throw validation(`ReturnValues ${returnValues} is not valid`);
    const ctx = this.context(input);
    const actions = input.UpdateExpression ? parseUpdate(input.UpdateExpression, ctx) : [];
    const condition = input.ConditionExpression ? parseCondition(input.ConditionExpression, ctx) : undefined;
    ctx.checkAllUsed();
    const key = keyString(table, keyMap);
    const old = table.items.get(key);
    this.check(condition, old, ctx, input.ReturnValuesOnConditionCheckFailure);
    const keyNames = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
    const next = applyUpdate(old ?? structuredClone(keyMap), actions, ctx, keyNames);
    table.items.set(key, next);
    if (returnValues === 'ALL_NEW') return { Attributes: structuredClone(next) };
    if (returnValues === 'ALL_OLD' && old) return { Attributes: structuredClone(old) };
    return {};
  }

  deleteItem(input: DeleteItemCommandInput): Out<DeleteItemCommandOutput> {
    this.refuse(input, ['Expected', 'ConditionalOperator'], 'DeleteItem');
    const table = this.table(input.TableName);
    const keyMap = input.Key ?? {};
    this.checkKey(table, keyMap, true);
    const returnValues = input.ReturnValues ?? 'NONE';
    if (!['NONE', 'ALL_OLD'].includes(returnValues))
      throw validation(`ReturnValues ${returnValues} is not valid for DeleteItem`);
    const ctx = this.context(input);
    const condition = input.ConditionExpression ? parseCondition(input.ConditionExpression, ctx) : undefined;
    ctx.checkAllUsed();
    const key = keyString(table, keyMap);
    const old = table.items.get(key);
    this.check(condition, old, ctx, input.ReturnValuesOnConditionCheckFailure);
    table.items.delete(key);
    return returnValues === 'ALL_OLD' && old ? { Attributes: structuredClone(old) } : {};
  }

  /**
   * KeyConditionExpression: `pk = :v` and optionally a comparison, BETWEEN or begins_with on the
   * sort key; FilterExpression applies after Limit, as in DynamoDB.
   */
  query(input: QueryCommandInput): Out<QueryCommandOutput> {
    this.refuse(input, ['KeyConditions', 'QueryFilter', 'AttributesToGet', 'ConditionalOperator'], 'Query');
    if (input.IndexName) throw new SimulatorUnsupportedError('Query on an index is not simulated');
    if (input.Select && input.Select !== 'ALL_ATTRIBUTES' && input.Select !== 'SPECIFIC_ATTRIBUTES')
      throw new SimulatorUnsupportedError(`Query Select ${input.Select} is not simulated`);
    const table = this.table(input.TableName);
    if (!input.KeyConditionExpression)
      throw validation(
        'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
      );
    if (input.Limit !== undefined && !(Number.isInteger(input.Limit) && input.Limit >= 1))
      throw validation(
        `1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      );
    const ctx = this.context(input);
    const keyCondition = parseCondition(input.KeyConditionExpression, ctx, 'KeyConditionExpression');
    const filter = input.FilterExpression
      ? parseCondition(input.FilterExpression, ctx, 'FilterExpression')
      : undefined;
    const projection = input.ProjectionExpression
      ? parseProjection(input.ProjectionExpression, ctx)
      : undefined;
    ctx.checkAllUsed();
    const { partition, sort } = this.keyConditions(table, keyCondition);
    let items = [...table.items.values()].filter(
      (item) => evaluate(partition, item, ctx) && (!sort || evaluate(sort, item, ctx)),
    );
    if (table.sortKey) {
      const sortKey = table.sortKey;
      items.sort((a, b) => compare(a[sortKey], b[sortKey]) ?? 0);
    }
    if (input.ScanIndexForward === false) items.reverse();
    if (input.ExclusiveStartKey) {
      const start = keyString(table, input.ExclusiveStartKey);
      const index = items.findIndex((item) => keyString(table, item) === start);
      items = index >= 0 ? items.slice(index + 1) : items;
    }
    let lastEvaluatedKey: AttributeMap | undefined;
    if (input.Limit !== undefined && items.length > input.Limit) {
      items = items.slice(0, input.Limit);
      const last = items[items.length - 1] as AttributeMap;
      lastEvaluatedKey = {
        [table.partitionKey]: last[table.partitionKey] as AttributeValue,
        ...(table.sortKey ? { [table.sortKey]: last[table.sortKey] as AttributeValue } : {}),
      };
    }
    const scanned = items.length;
    const matched = filter ? items.filter((item) => evaluate(filter, item, ctx)) : items;
    return {
      Items: matched.map((item) => (projection ? project(item, projection) : structuredClone(item))),
      Count: matched.length,
      ScannedCount: scanned,
      ...(lastEvaluatedKey ? { LastEvaluatedKey: lastEvaluatedKey } : {}),
    };
  }

  /** Plain JS view helper for the simulator's `item()`. */
  rawItem(tableName: string, key: Record<string, string>): AttributeMap | undefined {
    const table = this.tables.get(tableName);
    if (!table) return undefined;
    for (const type of ['S', 'N'] as const) {
      const keyMap: AttributeMap = {};
      for (const [name, value] of Object.entries(key))
        keyMap[name] = { [type]: value } as unknown as AttributeValue;
      if (!(table.partitionKey in keyMap) || (table.sortKey && !(table.sortKey in keyMap))) return undefined;
      const item = table.items.get(keyString(table, keyMap));
      if (item) return item;
    }
    return undefined;
  }

  private keyConditions(table: Table, condition: Condition): { partition: Condition; sort?: Condition } {
    const parts = condition.kind === 'and' ? [condition.left, condition.right] : [condition];
    const keyName = (operand: Operand) =>
      operand.kind === 'path' && operand.segments.length === 1 && 'name' in (operand.segments[0] as object)
        ? (operand.segments[0] as { name: string }).name
        : undefined;
    let partition: Condition | undefined;
    let sort: Condition | undefined;
    for (const part of parts) {
      const subject =
        part.kind === 'compare'
          ? keyName(part.left)
          : part.kind === 'between' || part.kind === 'begins_with'
            ? keyName(part.subject)
            : undefined;
      if (part.kind === 'compare' && part.op === '=' && subject === table.partitionKey && !partition)
        partition = part;
      else if (
        subject !== undefined &&
        subject === table.sortKey &&
        !sort &&
        !(part.kind === 'compare' && part.op === '<>')
      )
        sort = part;
      else
        throw validation(
          `Invalid KeyConditionExpression: the condition must be "partition key = :value" with an optional condition on the sort key`,
        );
    }
    if (!partition) throw validation('Query condition missed key schema element: ' + table.partitionKey);
    return { partition, ...(sort ? { sort } : {}) };
  }

  private check(
    condition: Condition | undefined,
    item: AttributeMap | undefined,
    ctx: ExpressionContext,
    returnOnFailure: string | undefined,
  ): void {
    if (!condition || evaluate(condition, item, ctx)) return;
    throw awsError(
      'dynamodb',
      'ConditionalCheckFailedException',
      'The conditional request failed',
      returnOnFailure === 'ALL_OLD' && item ? { Item: structuredClone(item) } : {},
    );
  }

  private context(input: {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  }): ExpressionContext {
    for (const [name, value] of Object.entries(input.ExpressionAttributeValues ?? {})) {
      const reason = invalidReason(value, name);
      if (reason) throw validation(`ExpressionAttributeValues contains invalid value: ${reason}`);
    }
    return new ExpressionContext(input.ExpressionAttributeNames ?? {}, input.ExpressionAttributeValues ?? {});
  }

  private table(name: string | undefined): Table {
    const table = name === undefined ? undefined : this.tables.get(name);
    if (!table) throw awsError('dynamodb', 'ResourceNotFoundException', 'Requested resource not found');
    return table;
  }

  /** The key must hold exactly the key attributes, as non-empty scalars. */
  private checkKey(table: Table, key: AttributeMap, exact: boolean): void {
    const names = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
    for (const name of names) {
      const value = key[name];
      const type = typeOf(value);
      if (!value || !type || !['S', 'N', 'B'].includes(type))
        throw validation(
          exact
            ? 'The provided key element does not match the schema'
            : `One or more parameter values were invalid: Missing the key ${name} in the item`,
        );
      if (type === 'S' && value.S === '')
        throw validation(
          `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
        );
    }
    if (exact && Object.keys(key).length !== names.length)
      throw validation('The provided key element does not match the schema');
  }

  private refuse(input: object, legacy: readonly string[], command: string): void {
    for (const name of legacy)
      if ((input as Record<string, unknown>)[name] !== undefined)
        throw new SimulatorUnsupportedError(
          `${command} legacy parameter ${name} is not simulated; use expressions`,
        );
  }
}

function project(item: AttributeMap, paths: ReturnType<typeof parseProjection>): AttributeMap {
  const out: AttributeMap = {};
  for (const path of paths) {
    if (path.segments.length !== 1)
      throw new SimulatorUnsupportedError('Nested ProjectionExpression paths are not simulated');
    const name = (path.segments[0] as { name: string }).name;
    const value = resolvePath(item, path);
    if (value !== undefined) out[name] = structuredClone(value);
  }
  return out;
}
