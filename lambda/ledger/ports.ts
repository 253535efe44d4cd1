import type { FleetRecord } from '../shared/documents';

/**
 * What the ledger steps ask of the fleet's table (the lock, the fleet record, one entry per
 * rollout) and of the runtime parameters. lambda/aws/ implements the ports with the AWS SDK;
 * domain tests use in-memory fakes. Every write that could race is conditional, so two
 * executions can never both believe they own the fleet or both promote.
 */

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

export interface LedgerStore {
  /**
   * Take the fleet's lock for `owner` until `ttlSeconds` from `now`, if it is free, expired or
   * already `owner`'s (so a retried invocation does not lock itself out). Returns the current
   * holder when someone else has it.
   */
  acquire(owner: string, action: string, now: Date, ttlSeconds: number): Promise<LockHolder | undefined>;
  /** Release the lock if `owner` still holds it; true when it did. */
  release(owner: string): Promise<boolean>;
  /** Who holds the lock now, if anyone (expired or not). */
  holder(): Promise<LockHolder | undefined>;

  fleet(): Promise<FleetRecord | undefined>;
  /** Create the fleet record unless one exists; returns whichever record is stored afterwards. */
  createFleet(record: FleetRecord): Promise<FleetRecord>;
  /**
   * Replace the fleet record if it is still at `expectedGeneration`. Returns false when
   * another writer got there first (the caller decides whether that is its own earlier try).
   */
  replaceFleet(record: FleetRecord, expectedGeneration: number): Promise<boolean>;

  recordStart(entry: LedgerEntry): Promise<void>;
  /**
   * Write the entry's outcome. An upsert: a rollout refused while planning never recorded its
   * start, so the caller passes the entry's identity too.
   */
  recordEnd(
    startedAt: string,
    executionName: string,
    end: Pick<LedgerEntry, 'status' | 'endedAt'> & Partial<LedgerEntry>,
  ): Promise<void>;
  /** The newest `limit` ledger entries, newest first. */
  history(limit: number): Promise<LedgerEntry[]>;
  /** Close an entry if it is still IN_PROGRESS; false when it was closed meanwhile. */
  closeOpen(
    entry: Pick<LedgerEntry, 'startedAt' | 'executionName'>,
    status: LedgerEntry['status'],
    cause: string,
  ): Promise<boolean>;
}

/** How a runtime parameter's value is typed, for what resolves it at deploy time. */
export type ParameterKind = 'text' | 'list' | 'image';

/** The parameters the fleet's template resolves at deploy time, by name. */
export interface RuntimeParameters {
  /** A parameter's value; fails, with the store's own error, when it does not exist. */
  get(name: string): Promise<string>;
  /** A parameter's value; `undefined` when it does not exist. */
  find(name: string): Promise<string | undefined>;
  /** Create or overwrite a parameter. */
  put(name: string, value: string, kind: ParameterKind): Promise<void>;
}
