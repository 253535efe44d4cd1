import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LedgerEntry, LedgerStore, LockHolder, RecoveryBudget } from '../ledger/ports';
import type { FleetRecord } from '../shared/documents';

/**
 * The fleet's table: one lock item, one fleet record, and one ledger entry per rollout.
 *   pk=fleet   sk=lock                       who holds the fleet, until when
 *   pk=fleet   sk=state                      FleetRecord (JSON) + generation
 *   pk=fleet   sk=recoveries                 automatic restores of the last hour (JSON) + version
 *   pk=rollout sk=<startedAt>#<execution>    a rollout: action, images, outcome, cause
 * Every write that could race is conditional, so two executions can never both believe
 * they own the fleet or both promote.
 */
export const KEYS = {
  lock: { pk: 'fleet', sk: 'lock' },
  state: { pk: 'fleet', sk: 'state' },
  recoveries: { pk: 'fleet', sk: 'recoveries' },
  ledgerPk: 'rollout',
} as const;

type Item = Record<string, AttributeValue>;

/**
 * The SDK's name for a failed ConditionExpression. A string, not the exception class's
 * `.name`: the functions ship minified, and minification renames classes.
 */
const CONDITION_FAILED = 'ConditionalCheckFailedException';

const key = (k: { pk: string; sk: string }): Item => ({ pk: { S: k.pk }, sk: { S: k.sk } });
const s = (v: string): AttributeValue => ({ S: v });
const n = (v: number): AttributeValue => ({ N: String(v) });

/** The fleet's lock, record and ledger in its DynamoDB table. */
export class DynamoDbLedgerStore implements LedgerStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
  ) {}

  async acquire(
    owner: string,
    action: string,
    now: Date,
    ttlSeconds: number,
  ): Promise<LockHolder | undefined> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await this.db.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            ...key(KEYS.lock),
            owner: s(owner),
            action: s(action),
            acquiredAt: s(now.toISOString()),
            expiresAt: n(nowSeconds + ttlSeconds),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': n(nowSeconds), ':owner': s(owner) },
        }),
      );
      return undefined;
    } catch (e) {
      if (!(e instanceof Error) || e.name !== CONDITION_FAILED) throw e;
      const holder = await this.holder();
      // The holder can vanish between the failed put and the read; report it as busy anyway.
      return holder ?? { owner: 'unknown', action: 'unknown', acquiredAt: 'unknown', expiresAt: nowSeconds };
    }
  }

  async holder(): Promise<LockHolder | undefined> {
    const out = await this.db.send(
      new GetItemCommand({ TableName: this.table, Key: key(KEYS.lock), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return {
      owner: out.Item.owner?.S ?? 'unknown',
      action: out.Item.action?.S ?? 'unknown',
      acquiredAt: out.Item.acquiredAt?.S ?? 'unknown',
      expiresAt: Number(out.Item.expiresAt?.N ?? 0),
    };
  }

  async release(owner: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: key(KEYS.lock),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': s(owner) },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === CONDITION_FAILED) return false;
      throw e;
    }
  }

  async fleet(): Promise<FleetRecord | undefined> {
    const out = await this.db.send(
      new GetItemCommand({ TableName: this.table, Key: key(KEYS.state), ConsistentRead: true }),
    );
    const json = out.Item?.record?.S;
    return json ? (JSON.parse(json) as FleetRecord) : undefined;
  }

  async createFleet(record: FleetRecord): Promise<FleetRecord> {
    try {
      await this.db.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...key(KEYS.state), record: s(JSON.stringify(record)), generation: n(record.generation) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return record;
    } catch (e) {
      if (!(e instanceof Error) || e.name !== CONDITION_FAILED) throw e;
      const existing = await this.fleet();
      if (!existing) throw e;
      return existing;
    }
  }

  async replaceFleet(record: FleetRecord, expectedGeneration: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...key(KEYS.state), record: s(JSON.stringify(record)), generation: n(record.generation) },
          ConditionExpression: 'generation = :expected',
          ExpressionAttributeValues: { ':expected': n(expectedGeneration) },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === CONDITION_FAILED) return false;
      throw e;
    }
  }

  async recordStart(entry: LedgerEntry): Promise<void> {
    await this.db.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          pk: s(KEYS.ledgerPk),
          sk: s(ledgerSortKey(entry.startedAt, entry.executionName)),
          ...attributes(entry),
        },
      }),
    );
  }

  /** An upsert: every attribute is aliased, since `status` is a reserved word. */
  async recordEnd(
    startedAt: string,
    executionName: string,
    end: Pick<LedgerEntry, 'status' | 'endedAt'> & Partial<LedgerEntry>,
  ): Promise<void> {
    const fields = attributes(end);
    const names = Object.keys(fields);
    await this.db.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: s(KEYS.ledgerPk), sk: s(ledgerSortKey(startedAt, executionName)) },
        UpdateExpression: `SET ${names.map((k) => `#${k} = :${k}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((k) => [`#${k}`, k])),
        ExpressionAttributeValues: Object.fromEntries(
          names.map((k) => [`:${k}`, fields[k] as AttributeValue]),
        ),
      }),
    );
  }

  async closeOpen(
    entry: Pick<LedgerEntry, 'startedAt' | 'executionName'>,
    status: LedgerEntry['status'],
    cause: string,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: s(KEYS.ledgerPk), sk: s(ledgerSortKey(entry.startedAt, entry.executionName)) },
          UpdateExpression: 'SET #status = :closed, #cause = :cause',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status', '#cause': 'cause' },
          ExpressionAttributeValues: { ':closed': s(status), ':open': s('IN_PROGRESS'), ':cause': s(cause) },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === CONDITION_FAILED) return false;
      throw e;
    }
  }

  /**
   * A read, then a write conditional on what was read (the item's version): two janitors
   * counting at once cannot both take the last place; the one that lost reads again.
   */
  async countRecovery(
    execution: string,
    now: Date,
    windowSeconds: number,
    max: number,
  ): Promise<RecoveryBudget> {
    for (let attempt = 0; ; attempt++) {
      const out = await this.db.send(
        new GetItemCommand({ TableName: this.table, Key: key(KEYS.recoveries), ConsistentRead: true }),
      );
      const version = Number(out.Item?.version?.N ?? 0);
      const since = now.getTime() - windowSeconds * 1000;
      const recent = (
        JSON.parse(out.Item?.starts?.S ?? '[]') as Array<{ execution: string; at: string }>
      ).filter((r) => Date.parse(r.at) > since);
      if (recent.some((r) => r.execution === execution)) return { allowed: true, recent: recent.length };
      if (recent.length >= max) return { allowed: false, recent: recent.length };
      const starts = [...recent, { execution, at: now.toISOString() }];
      try {
        await this.db.send(
          new PutItemCommand({
            TableName: this.table,
            Item: { ...key(KEYS.recoveries), starts: s(JSON.stringify(starts)), version: n(version + 1) },
            ConditionExpression: 'attribute_not_exists(pk) OR version = :read',
            ExpressionAttributeValues: { ':read': n(version) },
          }),
        );
        return { allowed: true, recent: starts.length };
      } catch (e) {
        if (!(e instanceof Error) || e.name !== CONDITION_FAILED || attempt >= 2) throw e;
      }
    }
  }

  async history(limit: number): Promise<LedgerEntry[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': s(KEYS.ledgerPk) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(fromItem);
  }
}

export const ledgerSortKey = (startedAt: string, executionName: string) => `${startedAt}#${executionName}`;

function attributes(values: Partial<LedgerEntry>): Item {
  const item: Item = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string') item[k] = s(v);
  return item;
}

function fromItem(item: Item): LedgerEntry {
  const get = (k: string) => item[k]?.S;
  return {
    execution: get('execution') ?? '',
    executionName: get('executionName') ?? '',
    startedAt: get('startedAt') ?? '',
    action: get('action') ?? '',
    trigger: get('trigger') ?? '',
    reason: get('reason') ?? '',
    status: (get('status') ?? 'IN_PROGRESS') as LedgerEntry['status'],
    ...optional('fromImage', get('fromImage')),
    ...optional('toImage', get('toImage')),
    ...optional('plan', get('plan')),
    ...optional('endedAt', get('endedAt')),
    ...optional('error', get('error')),
    ...optional('cause', get('cause')),
    ...optional('versions', get('versions')),
    ...(get('compensation') === 'FAILED' ? { compensation: 'FAILED' as const } : {}),
  };
}

const optional = <K extends string>(k: K, v: string | undefined) =>
  v === undefined ? {} : ({ [k]: v } as Record<K, string>);
