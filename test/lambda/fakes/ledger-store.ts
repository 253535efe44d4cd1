import type { LedgerEntry, LedgerStore, LockHolder } from '../../../lambda/ledger/ports';
import type { FleetRecord } from '../../../lambda/shared/documents';
import { Failures } from './failures';

type Method = keyof LedgerStore;

/**
 * The fleet's table held in memory, with the conditions the DynamoDB table puts on each write:
 * the lock is taken only when free, expired or already the owner's; the record is replaced only
 * at the expected generation; an entry is closed only while it is open.
 */
export class FakeLedgerStore implements LedgerStore {
  lock: LockHolder | undefined;
  record: FleetRecord | undefined;
  /** Ledger entries by `<startedAt>#<executionName>`, the table's sort key. */
  readonly entries = new Map<string, LedgerEntry>();
  /** Every method called, reads included, in order. */
  readonly calls: Method[] = [];
  /** Every write that went through, in order. */
  readonly writes: Array<{
    method: Method;
    lock?: LockHolder;
    owner?: string;
    record?: FleetRecord;
    entry?: string;
  }> = [];
  readonly failures = new Failures<Method>();

  constructor(o: { record?: FleetRecord; lock?: LockHolder; entries?: LedgerEntry[] } = {}) {
    this.record = o.record && clone(o.record);
    this.lock = o.lock && { ...o.lock };
    for (const entry of o.entries ?? []) this.entries.set(sortKey(entry), strings(entry) as LedgerEntry);
  }

  async acquire(
    owner: string,
    action: string,
    now: Date,
    ttlSeconds: number,
  ): Promise<LockHolder | undefined> {
    await this.called('acquire');
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (this.lock && this.lock.expiresAt >= nowSeconds && this.lock.owner !== owner) return { ...this.lock };
    this.lock = { owner, action, acquiredAt: now.toISOString(), expiresAt: nowSeconds + ttlSeconds };
    this.writes.push({ method: 'acquire', lock: { ...this.lock } });
    return undefined;
  }

  async release(owner: string): Promise<boolean> {
    await this.called('release');
    if (this.lock?.owner !== owner) return false;
    this.lock = undefined;
    this.writes.push({ method: 'release', owner });
    return true;
  }

  async holder(): Promise<LockHolder | undefined> {
    await this.called('holder');
    return this.lock && { ...this.lock };
  }

  async fleet(): Promise<FleetRecord | undefined> {
    await this.called('fleet');
    return this.record && clone(this.record);
  }

  async createFleet(record: FleetRecord): Promise<FleetRecord> {
    await this.called('createFleet');
    if (!this.record) {
      this.record = clone(record);
      this.writes.push({ method: 'createFleet', record: clone(record) });
    }
    return clone(this.record);
  }

  async replaceFleet(record: FleetRecord, expectedGeneration: number): Promise<boolean> {
    await this.called('replaceFleet');
    if (this.record?.generation !== expectedGeneration) return false;
    this.record = clone(record);
    this.writes.push({ method: 'replaceFleet', record: clone(record) });
    return true;
  }

  async recordStart(entry: LedgerEntry): Promise<void> {
    await this.called('recordStart');
    this.entries.set(sortKey(entry), strings(entry) as LedgerEntry);
    this.writes.push({ method: 'recordStart', entry: sortKey(entry) });
  }

  async recordEnd(
    startedAt: string,
    executionName: string,
    end: Pick<LedgerEntry, 'status' | 'endedAt'> & Partial<LedgerEntry>,
  ): Promise<void> {
    await this.called('recordEnd');
    const key = sortKey({ startedAt, executionName });
    this.entries.set(key, { ...this.entries.get(key), ...strings(end) } as LedgerEntry);
    this.writes.push({ method: 'recordEnd', entry: key });
  }

  async history(limit: number): Promise<LedgerEntry[]> {
    await this.called('history');
    return [...this.entries]
      .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
      .slice(0, limit)
      .map(([, e]) => ({ ...e }));
  }

  async closeOpen(
    entry: Pick<LedgerEntry, 'startedAt' | 'executionName'>,
    status: LedgerEntry['status'],
    cause: string,
  ): Promise<boolean> {
    await this.called('closeOpen');
    const key = sortKey(entry);
    const open = this.entries.get(key);
    if (open?.status !== 'IN_PROGRESS') return false;
    this.entries.set(key, { ...open, status, cause });
    this.writes.push({ method: 'closeOpen', entry: key });
    return true;
  }

  private async called(method: Method): Promise<void> {
    this.calls.push(method);
    await this.failures.check(method);
  }
}

const sortKey = (e: Pick<LedgerEntry, 'startedAt' | 'executionName'>) => `${e.startedAt}#${e.executionName}`;
const clone = (r: FleetRecord): FleetRecord => JSON.parse(JSON.stringify(r)) as FleetRecord;
/** The table keeps an entry's string attributes only. */
const strings = (values: Partial<LedgerEntry>): Partial<LedgerEntry> =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'string'));
