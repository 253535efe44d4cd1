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
import { compare, equals, invalidReason, typeOf, type AttributeMap } from '../dynamodb/attribute-value';
import {
  applyUpdate,
  evaluate,
  ExpressionContext,
  parseCondition,
  parseKeyCondition,
  parseUpdate,
  validation,
  type Condition,
} from '../dynamodb/expressions';
import { awsError, SimulatorUnsupportedError } from '../errors';
import type { SimWorldSpec } from '../types';

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
 * The parameters of each command the ledger uses; any other parameter is refused as not
 * simulated rather than ignored (a ReturnValues or a FilterExpression would change the answer).
 */
const SIMULATED_PARAMETERS = {
  PutItem: [
    'TableName',
    'Item',
    'ConditionExpression',
    'ExpressionAttributeNames',
    'ExpressionAttributeValues',
  ],
  GetItem: ['TableName', 'Key', 'ConsistentRead'],
  UpdateItem: [
    'TableName',
    'Key',
    'UpdateExpression',
    'ConditionExpression',
    'ExpressionAttributeNames',
    'ExpressionAttributeValues',
  ],
  DeleteItem: [
    'TableName',
    'Key',
    'ConditionExpression',
    'ExpressionAttributeNames',
    'ExpressionAttributeValues',
  ],
  Query: [
    'TableName',
    'KeyConditionExpression',
    'ExpressionAttributeNames',
    'ExpressionAttributeValues',
    'ScanIndexForward',
    'Limit',
    'ConsistentRead',
  ],
} as const;

/**
 * DynamoDB (low-level AttributeValue maps) over the spec's tables: the five calls the ledger
 * makes, with the expressions of dynamodb/expressions.ts. Reads are always consistent: there
 * is one copy of each item.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
export class DynamoDbService {
  readonly tables = new Map<string, Table>();

  /** Tables that exist before the simulation starts, empty. */
  createTables(tables: SimWorldSpec['tables']): void {
    for (const t of tables)
      this.tables.set(t.name, {
        name: t.name,
        partitionKey: t.partitionKey,
        ...(t.sortKey !== undefined ? { sortKey: t.sortKey } : {}),
        items: new Map(),
      });
  }

  putItem(input: PutItemCommandInput): Out<PutItemCommandOutput> {
    refuseUnsimulated(input, 'PutItem');
    const table = this.table(input.TableName);
    const item = input.Item ?? {};
    for (const [name, value] of Object.entries(item)) {
      const reason = invalidReason(value, name);
      if (reason) throw validation(`One or more parameter values were invalid: ${reason}`);
    }
    this.checkKey(table, item, false);
    if (JSON.stringify(item).length > ITEM_LIMIT_BYTES)
      throw validation('Item size has exceeded the maximum allowed size');
    const ctx = context(input);
    const condition = input.ConditionExpression ? parseCondition(input.ConditionExpression, ctx) : undefined;
    ctx.checkAllUsed();
    const key = keyString(table, item);
    check(condition, table.items.get(key));
    table.items.set(key, structuredClone(item));
    return {};
  }

  getItem(input: GetItemCommandInput): Out<GetItemCommandOutput> {
    refuseUnsimulated(input, 'GetItem');
    const table = this.table(input.TableName);
    const keyMap = input.Key ?? {};
    this.checkKey(table, keyMap, true);
    const item = table.items.get(keyString(table, keyMap));
    return item ? { Item: structuredClone(item) } : {};
  }

  /** An upsert: without the item, the update applies to the key alone. */
  updateItem(input: UpdateItemCommandInput): Out<UpdateItemCommandOutput> {
    refuseUnsimulated(input, 'UpdateItem');
    const table = this.table(input.TableName);
    const keyMap = input.Key ?? {};
    this.checkKey(table, keyMap, true);
    if (!input.UpdateExpression)
      throw new SimulatorUnsupportedError('UpdateItem without an UpdateExpression is not simulated');
    const ctx = context(input);
    const keyNames = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
    const actions = parseUpdate(input.UpdateExpression, ctx, keyNames);
    const condition = input.ConditionExpression ? parseCondition(input.ConditionExpression, ctx) : undefined;
    ctx.checkAllUsed();
    const key = keyString(table, keyMap);
    const old = table.items.get(key);
    check(condition, old);
    table.items.set(key, applyUpdate(old ?? keyMap, actions));
    return {};
  }

  deleteItem(input: DeleteItemCommandInput): Out<DeleteItemCommandOutput> {
    refuseUnsimulated(input, 'DeleteItem');
    const table = this.table(input.TableName);
    const keyMap = input.Key ?? {};
    this.checkKey(table, keyMap, true);
    const ctx = context(input);
    const condition = input.ConditionExpression ? parseCondition(input.ConditionExpression, ctx) : undefined;
    ctx.checkAllUsed();
    const key = keyString(table, keyMap);
    check(condition, table.items.get(key));
    table.items.delete(key);
    return {};
  }

  /** One partition in sort key order (reversed when ScanIndexForward is false), up to Limit items. */
  query(input: QueryCommandInput): Out<QueryCommandOutput> {
    refuseUnsimulated(input, 'Query');
    const table = this.table(input.TableName);
    if (!input.KeyConditionExpression)
      throw validation(
        'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
      );
    if (input.Limit !== undefined && !(Number.isInteger(input.Limit) && input.Limit >= 1))
      throw validation(
        `1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      );
    const ctx = context(input);
    const partition = parseKeyCondition(input.KeyConditionExpression, ctx, table.partitionKey);
    ctx.checkAllUsed();
    let items = [...table.items.values()].filter((item) => equals(item[table.partitionKey], partition));
    const sortKey = table.sortKey;
    if (sortKey) items.sort((a, b) => compare(a[sortKey], b[sortKey]) ?? 0);
    if (input.ScanIndexForward === false) items.reverse();
    let lastEvaluatedKey: AttributeMap | undefined;
    if (input.Limit !== undefined && items.length > input.Limit) {
      items = items.slice(0, input.Limit);
      const last = items[items.length - 1] as AttributeMap;
      lastEvaluatedKey = {
        [table.partitionKey]: last[table.partitionKey] as AttributeValue,
        ...(sortKey ? { [sortKey]: last[sortKey] as AttributeValue } : {}),
      };
    }
    return {
      Items: items.map((item) => structuredClone(item)),
      Count: items.length,
      ScannedCount: items.length,
      ...(lastEvaluatedKey ? { LastEvaluatedKey: lastEvaluatedKey } : {}),
    };
  }

  /** An item by its key's plain values (S, else N), for the simulator's `item()`. */
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
}

function refuseUnsimulated(input: object, command: keyof typeof SIMULATED_PARAMETERS): void {
  const simulated: readonly string[] = SIMULATED_PARAMETERS[command];
  for (const [name, value] of Object.entries(input))
    if (value !== undefined && !simulated.includes(name))
      throw new SimulatorUnsupportedError(`DynamoDB ${command} parameter ${name} is not simulated`);
}

function context(input: {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}): ExpressionContext {
  for (const [name, value] of Object.entries(input.ExpressionAttributeValues ?? {})) {
    const reason = invalidReason(value, name);
    if (reason) throw validation(`ExpressionAttributeValues contains invalid value: ${reason}`);
  }
  return new ExpressionContext(input.ExpressionAttributeNames ?? {}, input.ExpressionAttributeValues ?? {});
}

function check(condition: Condition | undefined, item: AttributeMap | undefined): void {
  if (!condition || evaluate(condition, item)) return;
  throw awsError('dynamodb', 'ConditionalCheckFailedException', 'The conditional request failed');
}
