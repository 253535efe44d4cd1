import type { EnvironmentName } from '../../lambda/shared/environments';
import { PRODUCT_EVENTS } from '../../lambda/shared/events';
import type { ImageReleasedDetail } from '../../lambda/shared/events';
import type { RehearsalResult } from '../run/result';
import { fleetRecordIn } from '../run/fleet-record';
import type { FleetSimulator } from '../simulator';
import type { BusEvent } from '../simulator/services/events';
import type { Delivery } from '../engine/bus';
import type { CompiledStack } from '../engine/stack';
import type { Execution } from '../engine/step-functions';
import { shortName } from './log';
import type { TrainScenario } from './scenario';

/** An environment's part in the train, as `--json` prints it (the documented contract, extended). */
export interface TrainEnvironmentResult {
  /**
   * The environment's latest execution, as it stands when the rehearsal ends: NOT_STARTED when
   * nothing ran there, WAITING_FOR_APPROVAL while a promotion asks a person, RUNNING when the
   * rehearsal ended first.
   */
  status:
    'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT' | 'RUNNING' | 'NOT_STARTED' | 'WAITING_FOR_APPROVAL';
  error?: string;
  cause?: string;
  /** Why nothing started here, in the words of the trigger that decided (NOT_STARTED only). */
  reason?: string;
  live: RehearsalResult['live'];
  /** When the environment released the baked image (its `Image Released`), or null. */
  releasedAt: string | null;
  /** Executions of the environment's state machines (rollouts and promotions). */
  executions: number;
  /** Each of those executions, in the order they started. */
  history: Array<{
    kind: 'rollout' | 'promotion';
    name: string;
    action?: string;
    trigger?: string;
    startedAt: number;
    endedAt?: number;
    status: Execution['status'];
    error?: string;
  }>;
}

export interface TrainResult {
  simulatedSeconds: number;
  environments: Partial<Record<EnvironmentName, TrainEnvironmentResult>>;
  /**
   * From the bake to the last environment's release of it, less the time promotions waited for a
   * person (null when it never reached the last environment).
   */
  leadTimeSeconds: number | null;
  /** What the lead time cannot beat: each canary's boot and bakes, plus the configured soaks. */
  floorSeconds: number;
  /** Time promotions waited for an answer that came. */
  approvalWaitSeconds: number;
  approvals: Array<{
    environment: EnvironmentName;
    atSecond: number;
    decision: 'approve' | 'reject';
    accepted: boolean;
    message: string;
  }>;
  /** Events a function could not handle, which went to a dead-letter queue (an alarm fires). */
  deadLetters: Array<{ queue: string; handler: string; source: string; detailType: string; error: string }>;
}

export interface TrainFacts {
  readonly scenario: TrainScenario;
  readonly environments: ReadonlyMap<string, CompiledStack>;
  readonly worlds: ReadonlyMap<EnvironmentName, FleetSimulator>;
  readonly executions: readonly Execution[];
  /** Executions waiting for a task token now. */
  readonly waiting: ReadonlySet<string>;
  readonly events: readonly BusEvent[];
  readonly deliveries: readonly Delivery[];
  readonly deadLetters: readonly Delivery[];
  readonly approvals: TrainResult['approvals'];
  readonly approvalWaitSeconds: number;
  readonly seconds: number;
  readonly floorSeconds: number;
  readonly startMs: number;
}

/** The train's result, from what its world and executions look like now. */
export function buildTrainResult(f: TrainFacts): TrainResult {
  const environments: TrainResult['environments'] = {};
  const releases = f.events
    .filter(
      (e) =>
        e.source === PRODUCT_EVENTS.imageReleased.source &&
        e['detail-type'] === PRODUCT_EVENTS.imageReleased.detailType,
    )
    .map((e) => e.detail as ImageReleasedDetail);
  const baked = f.scenario.bake?.imageId;
  for (const env of f.scenario.train) {
    const xs = f.executions.filter((x) => x.place === env).sort((a, b) => a.startedAt - b.startedAt);
    const released = releases.find(
      (r) => r.environment === env && r.imageId === baked && r.action === 'canary',
    );
    environments[env] = {
      ...statusOf(env, xs, f),
      live: liveOf(f, env),
      releasedAt: released?.releasedAt ?? null,
      executions: xs.length,
      history: xs.map((x) => {
        const input = x.input as { action?: string; trigger?: string } | undefined;
        return {
          kind: x.kind,
          name: x.name,
          ...(x.kind === 'rollout' && input?.action ? { action: input.action } : {}),
          ...(x.kind === 'rollout' && input?.trigger ? { trigger: input.trigger } : {}),
          startedAt: round(x.startedAt),
          ...(x.endedAt !== undefined ? { endedAt: round(x.endedAt) } : {}),
          status: x.status,
          ...(x.error ? { error: x.error } : {}),
        };
      }),
    };
  }
  const last = f.scenario.train[f.scenario.train.length - 1] as EnvironmentName;
  const lastRelease = environments[last]?.releasedAt;
  return {
    simulatedSeconds: Math.round(f.seconds),
    environments,
    leadTimeSeconds:
      lastRelease && f.scenario.bake
        ? Math.round(
            (Date.parse(lastRelease) - f.startMs) / 1000 - f.scenario.bake.atSecond - f.approvalWaitSeconds,
          )
        : null,
    floorSeconds: f.floorSeconds,
    approvalWaitSeconds: Math.round(f.approvalWaitSeconds),
    approvals: f.approvals,
    deadLetters: f.deadLetters.map((d) => ({
      queue: shortName(d.deadLettered ?? ''),
      handler: d.handler,
      source: d.event.source,
      detailType: d.event['detail-type'],
      error: d.outcome.ok ? '' : d.outcome.error,
    })),
  };
}

function statusOf(
  env: EnvironmentName,
  xs: readonly Execution[],
  f: TrainFacts,
): Pick<TrainEnvironmentResult, 'status' | 'error' | 'cause' | 'reason'> {
  if (xs.some((x) => f.waiting.has(x.arn))) return { status: 'WAITING_FOR_APPROVAL' };
  const latest = xs[xs.length - 1];
  if (!latest) {
    // The last word of this environment's triggers on why they started nothing.
    const said = [...f.deliveries]
      .reverse()
      .find(
        (d) => d.place === env && (d.handler === 'on-image-available' || d.handler === 'on-upstream-release'),
      );
    const reason = !said
      ? 'no trigger reached this environment'
      : said.outcome.ok
        ? reasonIn(said.outcome.result)
        : said.outcome.error;
    return { status: 'NOT_STARTED', reason };
  }
  return {
    status: latest.status,
    ...(latest.error ? { error: latest.error } : {}),
    ...(latest.cause ? { cause: latest.cause } : {}),
  };
}

/** A trigger's own words on why it started nothing. */
function reasonIn(result: unknown): string {
  const reason = (result as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : 'nothing to start';
}

function liveOf(f: TrainFacts, env: EnvironmentName): TrainEnvironmentResult['live'] {
  const sim = f.worlds.get(env) as FleetSimulator;
  const settings = (f.environments.get(env) as CompiledStack).deployed.settings;
  const end = sim.snapshot();
  return {
    image:
      fleetRecordIn(sim, settings.table)?.releasedImage ??
      sim.parameter(settings.parameters.releasedImage)?.value ??
      f.scenario.releasedImage,
    weights: end.weights,
    trafficByImage: end.trafficByImage,
    instancesByImage: end.instancesByImage,
  };
}

const round = (v: number) => Math.round(v * 10) / 10;
