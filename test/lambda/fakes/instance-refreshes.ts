import type {
  InstanceRefreshes,
  RefreshPreferences,
  RefreshStart,
  RefreshView,
} from '../../../lambda/refresh/ports';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

/** A refresh as the fake holds it; any field of the view may be left out, as AWS may. */
export type FakeRefresh = { -readonly [K in keyof RefreshView]: RefreshView[K] } & {
  group: string;
  preferences?: RefreshPreferences;
};

/** Statuses in which a refresh blocks another start, and can be cancelled. */
const RUNNING = ['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'];
const CANCELLABLE = ['Pending', 'InProgress', 'Baking'];

/** Instance refreshes held in memory, newest first; one runs per group at a time. */
export class FakeInstanceRefreshes implements InstanceRefreshes {
  readonly refreshes: FakeRefresh[] = [];
  /** Every read: which group, and which refresh (`latest` for the newest). */
  readonly reads: Array<{ group: string; refreshId: string }> = [];
  /** The groups each cancel asked for. */
  readonly cancels: string[] = [];
  readonly failures = new Failures<'start' | 'find' | 'latest' | 'cancel'>();
  private started = 0;

  /** `now`: when a refresh this fake starts began. */
  constructor(private readonly now: Date) {}

  /** A refresh that already exists, newer than every other. */
  add(refresh: FakeRefresh): this {
    this.refreshes.unshift({ ...refresh });
    return this;
  }

  async start(
    group: string,
    target: { readonly launchTemplateId: string; readonly version: string },
    preferences: RefreshPreferences,
  ): Promise<RefreshStart> {
    await this.failures.check('start');
    if (this.refreshes.some((r) => r.group === group && RUNNING.includes(r.status ?? ''))) {
      return { alreadyRunning: true };
    }
    this.started += 1;
    const id = `ir-${this.started}`;
    this.add({
      id,
      group,
      status: 'Pending',
      percentageComplete: 0,
      startedAt: this.now,
      target,
      preferences,
    });
    return { refreshId: id };
  }

  async find(group: string, refreshId: string): Promise<RefreshView | undefined> {
    await this.failures.check('find');
    this.reads.push({ group, refreshId });
    const found = this.refreshes.find((r) => r.group === group && r.id === refreshId);
    return found && { ...found };
  }

  async latest(group: string): Promise<RefreshView | undefined> {
    await this.failures.check('latest');
    this.reads.push({ group, refreshId: 'latest' });
    const found = this.refreshes.find((r) => r.group === group);
    return found && { ...found };
  }

  async cancel(group: string): Promise<void> {
    await this.failures.check('cancel');
    const running = this.refreshes.find((r) => r.group === group && CANCELLABLE.includes(r.status ?? ''));
    if (!running)
      throw awsError('ActiveInstanceRefreshNotFound', `No in-progress or pending refresh on ${group}`);
    running.status = 'Cancelling';
    this.cancels.push(group);
  }
}
