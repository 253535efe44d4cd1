import { ROLLOUT_ERROR_NAMES } from '../../lambda/shared/errors';
import type { WorkflowSettings } from '../../lambda/shared/settings';
import type { FleetRecord } from '../../lambda/shared/documents';
import type { RehearsalRun } from '../../rehearsal/runner';
import type { TimelineEvent } from '../../rehearsal/run/execution-driver';
import type { Scenario } from '../../rehearsal/scenario';
import type { FleetSimulator, SimSnapshot } from '../../rehearsal/simulator';
import { unmarshall } from '../../rehearsal/simulator/dynamodb/attribute-value';
import { seededVersions } from '../../rehearsal/scenario-world';

/**
 * The guarantees every rollout keeps, whatever fails around it, checked on a rehearsal run at
 * every step the simulator took (not only at the end):
 *
 * - `capacity`: healthy serving capacity never drops below the environment's minimum healthy
 *   share of the desired capacity, and no traffic weight ever points at a colour without a
 *   healthy target;
 * - `traffic`: traffic is never left on an image whose rollout failed, and leaves a canary within
 *   one alarm period (60 s) of one of its alarms going off; at the end the released
 *   image, the fleet record, the ledger's last successful release and the SSM parameters agree,
 *   all traffic is on the live colour and the idle colour is at zero (unless kept warm); a dry
 *   run changes nothing: not the weights, the group sizes or the fleet record;
 * - `outcome`: every execution ends SUCCEEDED or FAILED with a named error and a cause Step
 *   Functions can carry (ABORTED only when the scenario stops it); the lock is released, or — for
 *   a stopped execution whose lock step was still running — held no longer than its expiry, and
 *   refuses nobody after it; the next execution (unless a dry run) restores a safe state before
 *   it plans anything;
 * - `ledger`: one ledger entry and one notification per execution that got past locking, each
 *   entry with a final status once its execution has ended.
 *
 * A run injected with more transient failures than the workflow's retries absorb (a storm, see
 * `CheckOptions`) is held to capacity and the lock's expiry only; the run after it to all.
 */
export type InvariantName = 'capacity' | 'traffic' | 'outcome' | 'ledger';

export interface Violation {
  readonly invariant: InvariantName;
  readonly message: string;
}

/** A ledger entry as the checks read it. */
export interface LedgerView {
  readonly execution: string;
  readonly startedAt: string;
  readonly status: string;
  readonly action?: string;
  readonly toImage?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface LockView {
  readonly owner: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

/** What the checks need to know about the world just before a run starts. */
export interface WorldBefore {
  readonly record?: FleetRecord;
  readonly lock?: LockView;
  /** Epoch milliseconds. */
  readonly now: number;
  /** The image released before any run on this world. */
  readonly firstReleasedImage: string;
}

/** Execution errors a rollout may end with: the workflow's named errors. */
export const NAMED_ERRORS: readonly string[] = ROLLOUT_ERROR_NAMES;

/**
 * The longest cause Step Functions carries for a failed task or execution.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ExecutionFailedEventDetails.html
 */
export const CAUSE_LIMIT = 32_768;

/** A refresh still changing the live group: one being cancelled is still launching instances. */
const ACTIVE_REFRESH = ['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'];
/** Floating-point slack for shares computed from weights and counts. */
const EPSILON = 1e-9;

/** The world a scenario's first run starts from, as the runner builds it. */
export function initialWorld(scenario: Scenario, settings: WorkflowSettings): WorldBefore {
  const now = Date.parse(scenario.startTime);
  const previous = scenario.fleet.previousImage;
  const record: FleetRecord | undefined = previous
    ? {
        liveColour: 'blue',
        releasedImage: scenario.releasedImage,
        previousImage: previous,
        versions: seededVersions(scenario),
        ...(scenario.fleet.previousColourWarm
          ? {
              warm: {
                colour: 'green',
                image: previous,
                until: new Date(now + settings.scaleDownDelaySeconds * 1000).toISOString(),
              },
            }
          : {}),
        generation: 1,
      }
    : undefined;
  return {
    ...(record ? { record } : {}),
    now,
    firstReleasedImage: scenario.releasedImage,
  };
}

/** The world as `run` left it: the state the next run on it starts from. */
export function worldAfter(run: RehearsalRun, settings: WorkflowSettings, before: WorldBefore): WorldBefore {
  const record = fleetRecord(run.simulator, settings);
  const lock = lockOf(run.simulator, settings);
  return {
    ...(record ? { record } : {}),
    ...(lock ? { lock } : {}),
    now: run.simulator.now().getTime(),
    firstReleasedImage: before.firstReleasedImage,
  };
}

export function fleetRecord(sim: FleetSimulator, settings: WorkflowSettings): FleetRecord | undefined {
  const item = sim.item(settings.table, { pk: 'fleet', sk: 'state' });
  return typeof item?.record === 'string' ? (JSON.parse(item.record) as FleetRecord) : undefined;
}

export function lockOf(sim: FleetSimulator, settings: WorkflowSettings): LockView | undefined {
  const item = sim.item(settings.table, { pk: 'fleet', sk: 'lock' });
  return item ? { owner: String(item.owner), expiresAt: Number(item.expiresAt) } : undefined;
}

/** The ledger's rollout entries, oldest first. */
export function ledgerOf(sim: FleetSimulator, settings: WorkflowSettings): LedgerView[] {
  const out = sim.dynamodb.query({
    TableName: settings.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: 'rollout' } },
  });
  return (out.Items ?? []).map((item) => unmarshall(item) as unknown as LedgerView);
}

export interface CheckOptions {
  /**
   * Transient failures (throttled calls and Lambda errors) the workflow is sure to absorb: the
   * rehearsal's `fewestRetries`. A run injected with more is a storm: its rollouts may fail with
   * the AWS error itself and leave the fleet (lock, ledger, traffic) for the next rollout to
   * restore; capacity still holds at every step, and the lock still expires.
   */
  readonly retryBudget?: number;
  /** The fewest retries any Lambda state makes of a function timeout (retried apart from the rest). */
  readonly timeoutRetryBudget?: number;
}

/**
 * Check one run against every invariant. `before` is the world the run started from
 * (`initialWorld` for a scenario's first run, `worldAfter` of the previous run otherwise).
 */
export function checkRun(
  run: RehearsalRun,
  settings: WorkflowSettings,
  before: WorldBefore,
  options: CheckOptions = {},
): Violation[] {
  const ctx = new RunContext(run, settings, before, options);
  return [...capacity(ctx), ...fastAbort(ctx), ...traffic(ctx), ...outcome(ctx), ...ledger(ctx)];
}

/** One alarm period: a canary whose alarm went off has lost its traffic within it. */
const SAFE_WITHIN_SECONDS = 60;

/**
 * A canary step is judged while it bakes: once one of the canary's alarms is in ALARM, traffic
 * leaves it within one alarm period (the judge's next look, the way back, a retry or two). Not
 * held for a stopped run or a storm, whose judge may never run.
 */
function fastAbort(ctx: RunContext): Violation[] {
  const { input } = ctx.run.scenario;
  const canary =
    typeof input === 'object' && input !== null && (input as { action?: unknown }).action === 'canary';
  const seconds = ctx.run.result.timeToSafetySeconds;
  if (!canary || ctx.stopped || ctx.storm || seconds === null || seconds <= SAFE_WITHIN_SECONDS) return [];
  return [
    {
      invariant: 'traffic',
      message: `the canary kept traffic for ${seconds} s after one of its alarms went off (at most ${SAFE_WITHIN_SECONDS} s)`,
    },
  ];
}

/** Throttled calls and failed Lambda invocations a run's faults inject. */
export function transientFailures(faults: Scenario['faults']): number {
  return faults.reduce(
    (n, f) =>
      n +
      (f.kind === 'throttle'
        ? f.calls
        : f.kind === 'lambda-error' || f.kind === 'lambda-timeout'
          ? f.count
          : 0),
    0,
  );
}

/** Function timeouts a run's faults inject (retried by their own retrier). */
export function functionTimeouts(faults: Scenario['faults']): number {
  return faults.reduce((n, f) => n + (f.kind === 'lambda-timeout' ? f.count : 0), 0);
}

/** How a single environment's run labels its executions. */
type Label = 'main' | 'second' | 'access' | 'recovery';
type RunExecution = { label: Label; arn: string; status: string; error?: string };

/** The run and what is derived once from it. */
class RunContext {
  readonly record: FleetRecord | undefined;
  readonly ledger: LedgerView[];
  readonly lock: LockView | undefined;
  readonly end: SimSnapshot;

  /** More transient failures were injected than every state's retries absorb. */
  readonly storm: boolean;

  constructor(
    readonly run: RehearsalRun,
    readonly settings: WorkflowSettings,
    readonly before: WorldBefore,
    options: CheckOptions,
  ) {
    this.record = fleetRecord(run.simulator, settings);
    this.ledger = ledgerOf(run.simulator, settings);
    this.lock = lockOf(run.simulator, settings);
    this.end = run.simulator.snapshot();
    this.storm =
      (options.retryBudget !== undefined && transientFailures(run.scenario.faults) > options.retryBudget) ||
      (options.timeoutRetryBudget !== undefined &&
        functionTimeouts(run.scenario.faults) > options.timeoutRetryBudget);
  }

  get stopped(): boolean {
    return this.run.result.status === 'ABORTED';
  }

  /** The executions this run started, with their outcomes. */
  executions(): RunExecution[] {
    const { result, executions } = this.run;
    const list: RunExecution[] = [
      { label: 'main', arn: executions.main, status: result.status, ...errorOf(result.error) },
    ];
    if (executions.second && result.secondExecution)
      list.push({
        label: 'second',
        arn: executions.second,
        status: result.secondExecution.status,
        ...errorOf(result.secondExecution.error),
      });
    executions.recoveries.forEach((arn, i) => {
      const ended = result.automaticRestores?.[i];
      if (ended) list.push({ label: 'recovery', arn, status: ended.status, ...errorOf(ended.error) });
    });
    return list;
  }

  entered(label: Label, state: string): TimelineEvent | undefined {
    return this.run.timeline.find((e) => e.execution === label && e.kind === 'entered' && e.state === state);
  }

  /**
   * Whether the execution took the lock (it went on to restore the fleet, or, dry, to report).
   * The lock janitor's restores share a label: one of them took it if it opened a ledger entry.
   */
  locked(x: Pick<RunExecution, 'label' | 'arn'>): boolean {
    if (x.label === 'recovery') return this.ledger.some((e) => e.execution === x.arn);
    return this.entered(x.label, 'Restore Safe State') !== undefined;
  }

  /** The lock janitor restored the fleet after this run's executions: its last restore succeeded. */
  get recovered(): boolean {
    return this.run.result.automaticRestores?.at(-1)?.status === 'SUCCEEDED';
  }

  /** Whether the execution was asked for a dry run, which must change nothing. */
  dryRun(label: string): boolean {
    const { input } = this.run.scenario;
    const second = this.run.scenario.faults.find((f) => f.kind === 'second-execution');
    const asked =
      label === 'main'
        ? input
        : label === 'second' && second?.kind === 'second-execution'
          ? second.input
          : undefined;
    return typeof asked === 'object' && asked !== null && (asked as { dryRun?: unknown }).dryRun === true;
  }

  /** Every observation of the world in this run: each step's snapshot and each state's. */
  *observations(): Generator<{ where: string; snapshot: SimSnapshot }> {
    for (const s of this.run.samples) yield { where: `t=${s.t}s`, snapshot: s };
    for (const e of this.run.timeline)
      yield { where: `${e.execution} ${e.kind} "${e.state}" (t=${e.snapshot.t}s)`, snapshot: e.snapshot };
  }
}

const errorOf = (error: string | undefined) => (error === undefined ? {} : { error });

function capacity(ctx: RunContext): Violation[] {
  const share = ctx.settings.refresh.minHealthyPercentage / 100;
  const out: Violation[] = [];
  for (const { where, snapshot: s } of ctx.observations()) {
    if (s.servingDesired > 0 && s.healthyServing < share * s.servingDesired - EPSILON) {
      out.push({
        invariant: 'capacity',
        message: `at ${where}: ${s.healthyServing} healthy serving instances of ${s.servingDesired} desired, below the minimum healthy ${ctx.settings.refresh.minHealthyPercentage} % (weights ${fmt(s.weights)}, groups ${fmtGroups(s)})`,
      });
    }
    for (const colour of ['blue', 'green'] as const) {
      if (s.weights[colour] > 0 && s.groups[colour].healthy === 0) {
        out.push({
          invariant: 'capacity',
          message: `at ${where}: ${s.weights[colour]} % of the traffic goes to ${colour}, which has no healthy target (groups ${fmtGroups(s)})`,
        });
      }
    }
    if (out.length >= 3) break;
  }
  return out;
}

function traffic(ctx: RunContext): Violation[] {
  // A stopped execution, or one a storm defeated, leaves the fleet as it was; the lock janitor
  // restores it (unless it could not either: then the next execution to take the lock does).
  // A run in which nobody took the lock changed nothing, and hands the fleet on as it found it.
  if ((ctx.stopped || ctx.storm) && !ctx.recovered) return [];
  const acting = ctx.executions().filter((x) => ctx.locked(x));
  if (acting.length === 0) return [];
  if (acting.every((x) => ctx.dryRun(x.label))) return unchangedByDryRun(ctx);
  const out: Violation[] = [];
  const fail = (message: string) => out.push({ invariant: 'traffic', message });
  const { end, record, settings } = ctx;
  const released = record?.releasedImage ?? ctx.before.firstReleasedImage;
  const live = record?.liveColour ?? 'blue';
  const idle = live === 'blue' ? 'green' : 'blue';

  // Traffic is never left on an image whose rollout failed.
  const failedHere = ctx.ledger.filter(
    (e) => e.status === 'FAILED' && ctx.executions().some((x) => x.arn === e.execution),
  );
  for (const entry of failedHere) {
    const share = entry.toImage ? (end.trafficByImage[entry.toImage] ?? 0) : 0;
    if (entry.toImage && entry.toImage !== released && share > 0)
      fail(
        `${share} % of the traffic is still on ${entry.toImage}, whose ${entry.action ?? ''} rollout failed`,
      );
  }

  if (end.weights[live] !== 100)
    fail(`the weights are ${fmt(end.weights)} at the end, not all on the live colour ${live}`);
  if (end.groups[live].inService > 0 && !(Math.abs((end.trafficByImage[released] ?? 0) - 100) < 1e-6))
    fail(
      `the traffic is ${JSON.stringify(end.trafficByImage)} at the end, not all on the released ${released}`,
    );
  if (ctx.run.result.live.image !== released)
    fail(`the result reports ${ctx.run.result.live.image} live, the fleet record ${released}`);

  const parameter = (name: string) => ctx.run.simulator.parameter(name)?.value;
  const p = settings.parameters;
  if (parameter(p.releasedImage) !== released)
    fail(`SSM ${p.releasedImage} is ${parameter(p.releasedImage)}, the fleet record ${released}`);
  const weights = live === 'blue' ? '100,0' : '0,100';
  if (parameter(p.listenerWeights) !== weights)
    fail(`SSM ${p.listenerWeights} is ${parameter(p.listenerWeights)}, not ${weights} for live ${live}`);
  if (record) {
    for (const colour of ['blue', 'green'] as const)
      if (parameter(p.launchTemplateVersions[colour]) !== record.versions[colour])
        fail(
          `SSM ${p.launchTemplateVersions[colour]} is ${parameter(p.launchTemplateVersions[colour])}, the fleet record ${record.versions[colour]}`,
        );
    if (end.groups[live].launchTemplateVersion !== record.versions[live])
      fail(
        `the live group runs launch-template version ${end.groups[live].launchTemplateVersion}, the fleet record says ${record.versions[live]}`,
      );
  }

  // Oldest first, and rollouts never overlap: the last successful one is the latest release.
  const lastRelease = ctx.ledger.filter((e) => e.status === 'SUCCEEDED' && e.toImage).pop();
  const ledgerReleased = lastRelease?.toImage ?? ctx.before.firstReleasedImage;
  if (ledgerReleased !== released)
    fail(
      `the ledger's last successful release is ${ledgerReleased}${lastRelease ? ` (${lastRelease.execution})` : ''}, the fleet record ${released}`,
    );

  if (
    !keptWarm(record, end, idle, ctx.run.simulator.now().getTime()) &&
    !orphanedWarm(record, ctx) &&
    !isIdle(end, idle)
  )
    fail(`the idle colour ${idle} is not at rest at the end: ${JSON.stringify(end.groups[idle])}`);
  return out;
}

function outcome(ctx: RunContext): Violation[] {
  const out: Violation[] = [];
  const fail = (message: string) => out.push({ invariant: 'outcome', message });
  const mayStop = ctx.run.scenario.faults.some((f) => f.kind === 'stop');
  const causes = [ctx.run.result.cause, ctx.run.result.secondExecution?.cause];
  for (const cause of causes)
    if (cause && cause.length > CAUSE_LIMIT)
      fail(
        `a cause of ${cause.length} characters, beyond the ${CAUSE_LIMIT} Step Functions carries: ${cause.slice(0, 120)}…`,
      );
  for (const x of ctx.executions()) {
    if (x.status === 'SUCCEEDED') continue;
    if (x.status === 'ABORTED' && x.label === 'main' && mayStop) continue;
    if (x.status !== 'FAILED') fail(`the ${x.label} execution ended ${x.status} (${x.error ?? 'no error'})`);
    else if (!x.error || (!NAMED_ERRORS.includes(x.error) && !ctx.storm))
      fail(`the ${x.label} execution failed with ${x.error ?? 'no error'}, not one of the named errors`);
  }

  // The lock is released; only a stopped execution whose lock step was still running when it
  // was stopped may hold it, and then no longer than it expires.
  const lock = ctx.lock;
  if (lock) {
    const holder = ctx.executions().find((x) => x.arn === lock.owner);
    // a storm can outlast the janitor's retries too
    const stoppedHere = holder?.status === 'ABORTED' || (ctx.storm && holder?.status === 'FAILED');
    const stoppedEarlier =
      lock.owner === ctx.before.lock?.owner && lock.expiresAt === ctx.before.lock.expiresAt;
    const expiresInTime =
      lock.expiresAt <= ctx.run.simulator.now().getTime() / 1000 + ctx.settings.lockTtlSeconds;
    if (!((stoppedHere || stoppedEarlier) && expiresInTime))
      fail(`the lock is still held by ${lock.owner} at the end`);
  }

  // The main execution is refused only by a live holder: its own second execution, which took
  // the lock first, or a stopped execution's lock that has not expired yet.
  const main = ctx.executions()[0];
  if (main?.error === 'RolloutInProgress') {
    const cause = ctx.run.result.cause ?? '';
    const stale = ctx.before.lock;
    const bySecond =
      ctx.run.executions.second !== undefined && cause.includes(`${ctx.run.executions.second} (`);
    const byStale = stale !== undefined && cause.includes(`${stale.owner} (`);
    if (byStale && stale && ctx.before.now / 1000 >= stale.expiresAt)
      fail(`the main execution was refused by ${stale.owner}'s lock, which had expired`);
    else if (!bySecond && !byStale)
      fail(`the main execution was refused although nothing held the fleet: ${cause}`);
  }

  // The next execution restores a safe state before anything else.
  const planned = ctx.dryRun('main') ? undefined : ctx.entered('main', 'Plan Rollout');
  if (planned) {
    const s = planned.snapshot;
    const record = ctx.before.record;
    const live = record?.liveColour ?? 'blue';
    const idle = live === 'blue' ? 'green' : 'blue';
    if (s.weights[live] !== 100)
      fail(`the main execution planned with weights ${fmt(s.weights)}, not all on the live colour ${live}`);
    if (!keptWarm(record, s, idle, ctx.before.now + planned.t * 1000) && s.groups[idle].desired > 0)
      fail(
        `the main execution planned with the idle colour ${idle} still at ${s.groups[idle].desired} instances`,
      );
    if (s.refresh && ACTIVE_REFRESH.includes(s.refresh.status))
      fail(`the main execution planned while refresh on ${s.refresh.group} was ${s.refresh.status}`);
  }
  return out;
}

function ledger(ctx: RunContext): Violation[] {
  const out: Violation[] = [];
  const fail = (message: string) => out.push({ invariant: 'ledger', message });
  for (const x of ctx.executions()) {
    const entries = ctx.ledger.filter((e) => e.execution === x.arn);
    if (!ctx.locked(x)) {
      if (entries.length > 0 && x.error === 'RolloutInProgress')
        fail(`the ${x.label} execution was refused by the lock but has a ledger entry`);
      continue;
    }
    if (entries.length !== 1) {
      fail(`the ${x.label} execution got past locking and has ${entries.length} ledger entries`);
      continue;
    }
    const entry = entries[0] as LedgerView;
    // In a storm, recording the outcome or notifying may itself have run out of retries.
    if (x.status === 'ABORTED' || ctx.storm) continue;
    if (entry.status === 'IN_PROGRESS')
      fail(`the ${x.label} execution ended ${x.status} but its ledger entry is open`);
    if (x.status === 'FAILED' && (entry.status !== 'FAILED' || !entry.error || !entry.cause))
      fail(`the ${x.label} execution failed but its ledger entry says ${entry.status} ${entry.error ?? ''}`);
    if (!ctx.run.notifications.some((n) => n.message.includes(`Execution: ${x.arn}`)))
      fail(`the ${x.label} execution ended ${x.status} without a notification`);
  }
  // An execution that holds the lock closes the entries earlier ones left open.
  const mainLocked = ctx.locked({ label: 'main', arn: ctx.run.executions.main }) && !ctx.stopped;
  if (mainLocked) {
    const open = ctx.ledger.filter(
      (e) => e.status === 'IN_PROGRESS' && !ctx.executions().some((x) => x.arn === e.execution),
    );
    for (const e of open)
      fail(`${e.execution}'s ledger entry is still open after a later rollout held the lock`);
  }
  return out;
}

/**
 * Only dry runs took the lock: they report what they would do and leave the weights, the group
 * sizes and the fleet record as the run found them (a stopped run's leftovers included).
 */
function unchangedByDryRun(ctx: RunContext): Violation[] {
  const out: Violation[] = [];
  const fail = (message: string) => out.push({ invariant: 'traffic', message });
  const start = ctx.run.samples[0] ?? ctx.run.timeline[0]?.snapshot;
  if (start) {
    if (fmt(start.weights) !== fmt(ctx.end.weights))
      fail(`a dry run moved the weights from ${fmt(start.weights)} to ${fmt(ctx.end.weights)}`);
    for (const colour of ['blue', 'green'] as const) {
      const [was, is] = [start.groups[colour], ctx.end.groups[colour]];
      if (was.desired !== is.desired || was.min !== is.min)
        fail(
          `a dry run resized ${colour} from ${was.min}/${was.desired} to ${is.min}/${is.desired} (min/desired)`,
        );
    }
  }
  // The very first run writes the record from what the deploy put in SSM: that is no change.
  const [was, is] = [decisive(ctx.before.record), decisive(ctx.record)];
  if (ctx.before.record && was !== is) fail(`a dry run changed the fleet record: ${was} → ${is}`);
  return out;
}

/** What a fleet record decides: traffic, images, versions and the warm colour (not timestamps). */
function decisive(r: FleetRecord | undefined): string {
  if (!r) return 'none';
  const { liveColour, releasedImage, previousImage, versions, warm, generation } = r;
  return JSON.stringify({
    liveColour,
    releasedImage,
    previousImage,
    versions,
    warm: warm?.colour,
    generation,
  });
}

/** The idle colour is the previous release, kept warm for an instant rollback. */
function keptWarm(
  record: FleetRecord | undefined,
  s: SimSnapshot,
  idle: 'blue' | 'green',
  nowMs: number,
): boolean {
  const warm = record?.warm;
  return (
    warm !== undefined &&
    warm.colour === idle &&
    Date.parse(warm.until) > nowMs &&
    s.groups[idle].launchTemplateVersion === record?.versions[idle]
  );
}

/** The states that put the idle colour to rest when it is no longer kept warm. */
const RESTORING = ['Restore Safe State', 'Return Traffic To Last Good Fleet', 'Put Idle Colour To Rest'];

/**
 * A warm colour past its time that nothing in this run could retire: the release that keeps it
 * warm was made before this run (in the scenario's history, or by an execution stopped before
 * its retirement step), and no rollout of this run restored the fleet after the time was up (a
 * dry run restores nothing).
 * The next rollout to take the lock puts it to rest, first thing.
 */
function orphanedWarm(record: FleetRecord | undefined, ctx: RunContext): boolean {
  const warm = record?.warm;
  if (!warm) return false;
  if (ctx.executions().some((x) => x.arn === record.releasedBy)) return false;
  const until = Date.parse(warm.until);
  // A step's handler reads the clock once its invocation has started, a Lambda latency later.
  const latency = ctx.run.scenario.lambdaLatencySeconds;
  return ctx.run.timeline
    .filter((e) => e.kind === 'entered' && RESTORING.includes(e.state) && !ctx.dryRun(e.execution))
    .every((e) => ctx.before.now + (e.t + latency) * 1000 < until);
}

const isIdle = (s: SimSnapshot, colour: 'blue' | 'green') =>
  s.groups[colour].desired === 0 && s.groups[colour].min === 0 && s.groups[colour].inService === 0;

const fmt = (w: { blue: number; green: number }) => `${w.blue}/${w.green}`;

function fmtGroups(s: SimSnapshot): string {
  return (['blue', 'green'] as const)
    .map((c) => `${c} ${s.groups[c].healthy}/${s.groups[c].inService} healthy of ${s.groups[c].desired}`)
    .join(', ');
}
