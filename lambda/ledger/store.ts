import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FleetRecord } from '../shared/documents';

/**
 * The fleet's table: one lock item, one fleet record, and one ledger entry per rollout.
 *   pk=fleet   sk=lock                       who holds the fleet, until when
 *   pk=fleet   sk=state                      FleetRecord (JSON) + generation
 *   pk=rollout sk=<startedAt>#<execution>    a rollout: action, images, outcome, cause
 * Every write that could race is conditional, so two executions can never both believe
 * they own the fleet or both promote.
 */
export const KEYS = {
  lock: { pk: 'fleet', sk: 'lock' },
  state: { pk: 'fleet', sk: 'state' },
  ledgerPk: 'rollout',
} as const;

type Item = Record<string, AttributeValue>;

/**
 * The SDK's name for a failed ConditionExpression. A string, not the exception class's
 * `.name`: the functions ship minified, and minification renames classes.
 */
const CONDITION_FAILED = 'ConditionalCheckFailedException';

/** How many of the newest ledger entries a new rollout checks for ones left open. */
const ABANDONED_LOOKBACK = 10;

const key = (k: { pk: string; sk: string }): Item => ({ pk: { S: k.pk }, sk: { S: k.sk } });
const s = (v: string): AttributeValue => ({ S: v });
const n = (v: number): AttributeValue => ({ N: String(v) });

export interface LockHolder {
  readonly owner: string;
  readonly action: string;
  readonly acquiredAt: string;
  readonly expiresAt: number;
}

export interface LedgerEntry {
  readonly execution: string;
  readonly executionName: string;
  readonly startedAt: string;
  readonly action: string;
  readonly trigger: string;
  readonly reason: string;
  /** ABANDONED: the rollout ended without recording an outcome (stopped, timed out, or its last steps failed). */
  readonly status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'DRY_RUN' | 'ABANDONED';
  readonly fromImage?: string;
  readonly toImage?: string;
  readonly plan?: string;
  readonly endedAt?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly versions?: string;
}

export class LedgerStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
  ) {}

  /**
   * Take the fleet's lock for `owner` until `expiresAt` (epoch seconds). Re-entrant for the
   * same owner, so a retried invocation does not lock itself out. Returns the current holder
   * when someone else has it.
   */
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

  /** Release the lock if `owner` still holds it; true when it did. */
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

  /** Create the fleet record unless one exists; returns whichever record is stored afterwards. */
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

  /**
   * Replace the fleet record if it is still at `expectedGeneration`. Returns false when
   * another writer got there first (the caller decides whether that is its own earlier try).
   */
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

  /**
   * Write the entry's outcome. An upsert: a rollout refused while planning never recorded its
   * start, so the caller passes the entry's identity too.
   */
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

  /**
   * Close the entries other rollouts left open: they ended without recording an outcome.
   * Only the lock's holder calls this, so none of them can still be running; and since nothing
   * records a start while the fleet is locked, an abandoned entry is among the newest. The one
   * that made the current release (`releasedBy`, from the fleet record) ended after promoting:
   * its release stands, so it is closed SUCCEEDED, saying what did not run.
   * Returns the executions whose entries were closed.
   */
  async closeAbandoned(owner: string, now: Date, releasedBy?: string): Promise<string[]> {
    const open = (await this.history(ABANDONED_LOOKBACK)).filter(
      (e) => e.status === 'IN_PROGRESS' && e.execution !== owner,
    );
    const closed: string[] = [];
    for (const entry of open) {
      const released = entry.execution === releasedBy;
      const closedBy = `closed by ${owner} at ${now.toISOString()}`;
      try {
        await this.db.send(
          new UpdateItemCommand({
            TableName: this.table,
            Key: { pk: s(KEYS.ledgerPk), sk: s(ledgerSortKey(entry.startedAt, entry.executionName)) },
            UpdateExpression: 'SET #status = :closed, #cause = :cause',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status', '#cause': 'cause' },
            ExpressionAttributeValues: {
              ':closed': s(released ? 'SUCCEEDED' : 'ABANDONED'),
              ':open': s('IN_PROGRESS'),
              ':cause': s(
                released
                  ? `released ${entry.toImage ?? 'its image'}, then ended without recording its outcome ` +
                      `(stopped, timed out, or its last steps failed): the release stands, but its image ` +
                      `tags and notification may be missing; ${closedBy}`
                  : `ended without recording an outcome (stopped, timed out, or its last steps failed); ${closedBy}`,
              ),
            },
          }),
        );
        closed.push(entry.execution);
      } catch (e) {
        // Closed meanwhile by its own late finish: nothing to do.
        if (!(e instanceof Error) || e.name !== CONDITION_FAILED) throw e;
      }
    }
    return closed;
  }

  /** The newest `limit` ledger entries, newest first. */
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
  };
}

const optional = <K extends string>(k: K, v: string | undefined) =>
  v === undefined ? {} : ({ [k]: v } as Record<K, string>);
