import type { Scenario } from '../scenario';
import type { FleetSimulator } from '../simulator';
import type { VirtualTime } from '../virtual-time';
import type { AccessApi } from './interactive-access';

/** The faults of a run that its executions consult as they go. */
export interface FaultSchedule {
  /** True when the next Lambda invocation is to fail with a service error; consumes that failure. */
  readonly takeLambdaError: () => boolean;
  /** True when the next Lambda invocation is to run but time out; consumes that timeout. */
  readonly takeLambdaTimeout: () => boolean;
  /** The main execution is stopped once it has made this many state transitions. */
  readonly stopAtTransition?: number;
  /** Another execution of the state machine, started at `atSecond` of the run. */
  readonly secondExecution?: { readonly atSecond: number; readonly input: unknown };
  /** Someone opens a way into a live instance at `atSecond` of the run. */
  readonly interactiveAccess?: { readonly atSecond: number; readonly api: AccessApi };
}

/**
 * Turns a scenario's faults into timed injections on the world: `atSecond` counts from the
 * run's start, while an alarm window is set on the world's own clock, which began with the
 * world's first run (`worldSecondsAtStart` is where this run begins on it).
 */
export function scheduleFaults(
  faults: Scenario['faults'],
  on: { readonly sim: FleetSimulator; readonly vt: VirtualTime; readonly worldSecondsAtStart: number },
): FaultSchedule {
  const { sim, vt } = on;
  let lambdaErrors = 0;
  let lambdaTimeouts = 0;
  for (const f of faults) {
    switch (f.kind) {
      case 'alarm':
        sim.forceAlarm(f.alarm, on.worldSecondsAtStart + f.atSecond, f.durationSeconds);
        break;
      case 'regression':
        sim.regressImage(f.imageId, on.worldSecondsAtStart + f.atSecond, {
          ...(f.errorRate === undefined ? {} : { errorRate: f.errorRate }),
          ...(f.p99LatencyMs === undefined ? {} : { p99LatencyMs: f.p99LatencyMs }),
        });
        break;
      case 'throttle':
        vt.at(f.atSecond, () => sim.throttleNext(f.calls));
        break;
      case 'launch-failure':
        vt.at(f.atSecond, () => sim.failNextLaunches(f.count));
        break;
      case 'lambda-error':
        vt.at(f.atSecond, () => (lambdaErrors += f.count));
        break;
      case 'lambda-timeout':
        vt.at(f.atSecond, () => (lambdaTimeouts += f.count));
        break;
      default:
        break;
    }
  }
  const stop = faults.find((f) => f.kind === 'stop');
  const second = faults.find((f) => f.kind === 'second-execution');
  const access = faults.find((f) => f.kind === 'interactive-access');
  return {
    takeLambdaError: () => (lambdaErrors > 0 ? (lambdaErrors--, true) : false),
    takeLambdaTimeout: () => (lambdaTimeouts > 0 ? (lambdaTimeouts--, true) : false),
    ...(stop ? { stopAtTransition: stop.atTransition } : {}),
    ...(second ? { secondExecution: { atSecond: second.atSecond, input: second.input } } : {}),
    ...(access ? { interactiveAccess: { atSecond: access.atSecond, api: access.api } } : {}),
  };
}
