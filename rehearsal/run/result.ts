import type { WorkflowSettings } from '../../lambda/shared/settings';
import type { Scenario } from '../scenario';
import type { FleetSimulator, SimSnapshot } from '../simulator';
import type { ExecutionOutcome } from './execution-driver';
import { fleetRecordIn } from './fleet-record';
import { timeToSafetySeconds } from './time-to-safety';

/** The rehearsal's result: what `--json` prints (the documented contract). */
export interface RehearsalResult {
  status: ExecutionOutcome['status'];
  error?: string;
  cause?: string;
  simulatedSeconds: number;
  floorSeconds: number;
  live: {
    image: string;
    weights: { blue: number; green: number };
    trafficByImage: Record<string, number>;
    instancesByImage: Record<string, number>;
  };
  instancesReplaced: number;
  minHealthyFraction: number;
  transitions: number;
  lambdaInvocations: number;
  apiCalls: Record<string, number>;
  /**
   * Seconds from the first canary alarm in ALARM to no traffic on the canary; `null` when no
   * canary alarm went off while it carried traffic (see timeToSafetySeconds).
   */
  timeToSafetySeconds: number | null;
  secondExecution?: { status: string; error?: string; cause?: string };
  /** The restores the lock janitor started after an execution that left the fleet unsafe. */
  automaticRestores?: Array<{ status: string; error?: string; cause?: string }>;
  /** When the scenario has an interactive-access fault: the instance reached, and what followed. */
  interactiveAccess?: {
    instanceId: string;
    api: string;
    /** What the deployed function did: replacing, deferred, alerted or ignored. */
    outcome: string;
    /** The instance's lifecycle state at the end (Terminated once replaced). */
    instanceState: string;
    /** The replace it started, if it started one. */
    replacement?: { status: string; error?: string; cause?: string };
  };
}

/** What a run measured, for its result. */
export interface RunMeasures {
  readonly main: ExecutionOutcome;
  readonly second?: ExecutionOutcome;
  /** The interactive-access fault's instance and the function's answer, and the replace it started. */
  readonly access?: { readonly instanceId: string; readonly api: string; readonly answer: unknown };
  readonly accessExecution?: ExecutionOutcome;
  /** Simulated seconds the main execution took. */
  readonly mainSeconds: number;
  readonly floorSeconds: number;
  /** The world's call counters when the run began (a world may have seen earlier runs). */
  readonly callsBefore: Readonly<Record<string, number>>;
  /** The lowest share of the serving capacity that was healthy at any step. */
  readonly minHealthy: number;
  readonly transitions: number;
  readonly lambdaInvocations: number;
  /** The world at every step of the run, in order. */
  readonly samples: readonly SimSnapshot[];
  /** How each restore the lock janitor started ended. */
  readonly automaticRestores?: readonly ExecutionOutcome[];
}

/**
 * The result of a run from the world it left: the live image is the fleet record's (else what
 * the released-image parameter or the scenario says), and the API calls are this run's own.
 */
export function buildResult(
  sim: FleetSimulator,
  settings: WorkflowSettings,
  scenario: Scenario,
  measures: RunMeasures,
): RehearsalResult {
  const { main, second, access, accessExecution } = measures;
  const end: SimSnapshot = sim.snapshot();
  const record = fleetRecordIn(sim, settings.table);
  const apiCalls = Object.fromEntries(
    Object.entries(sim.apiCalls)
      .map(([k, v]) => [k, v - (measures.callsBefore[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );
  return {
    status: main.status,
    ...(main.error ? { error: main.error } : {}),
    ...(main.cause ? { cause: main.cause } : {}),
    simulatedSeconds: Math.round(measures.mainSeconds),
    floorSeconds: measures.floorSeconds,
    live: {
      image:
        record?.releasedImage ??
        sim.parameter(settings.parameters.releasedImage)?.value ??
        scenario.releasedImage,
      weights: end.weights,
      trafficByImage: end.trafficByImage,
      instancesByImage: end.instancesByImage,
    },
    instancesReplaced: end.instancesReplaced,
    minHealthyFraction: round(Number.isFinite(measures.minHealthy) ? measures.minHealthy : 1),
    transitions: measures.transitions,
    lambdaInvocations: measures.lambdaInvocations,
    apiCalls,
    timeToSafetySeconds: timeToSafetySeconds(measures.samples, settings),
    ...(second ? { secondExecution: ending(second) } : {}),
    ...(measures.automaticRestores?.length
      ? { automaticRestores: measures.automaticRestores.map(ending) }
      : {}),
    ...(access
      ? {
          interactiveAccess: {
            instanceId: access.instanceId,
            api: access.api,
            outcome: String((access.answer as { outcome?: string } | undefined)?.outcome ?? 'unknown'),
            instanceState: sim.instanceState(access.instanceId) ?? 'unknown',
            ...(accessExecution ? { replacement: ending(accessExecution) } : {}),
          },
        }
      : {}),
  };
}

/** How an execution ended, as the result reports it. */
const ending = (o: ExecutionOutcome) => ({
  status: o.status,
  ...(o.error ? { error: o.error } : {}),
  ...(o.cause ? { cause: o.cause } : {}),
});

const round = (v: number) => Math.round(v * 1000) / 1000;
