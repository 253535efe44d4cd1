import type { ProductTemplates } from '../../rehearsal/synth';
import { parseScenario } from '../../rehearsal/scenario';
import type { SimSnapshot } from '../../rehearsal/simulator';
import { log, round } from './stats';

const RELEASED = 'ami-0aaaaaaaaaaaaaaaa';
const NEW = 'ami-0bbbbbbbbbbbbbbbb';

/**
 * What goes wrong mid-step: regressions of the new image past prod's thresholds (p99 1 s, 5xx
 * 1 %): gross ones the judge's own metrics catch, a 3 % 5xx rate diluted over the step that only
 * its per-minute alarm sees in time, and an alarm that goes off by itself.
 */
const FAULTS = {
  'latency 3 s': { kind: 'regression', imageId: NEW, p99LatencyMs: 3000 },
  '5xx 20 %': { kind: 'regression', imageId: NEW, errorRate: 0.2 },
  '5xx 3 %': { kind: 'regression', imageId: NEW, errorRate: 0.03 },
  'latency alarm': { kind: 'alarm', alarm: 'latency' },
} as const;

export interface SafetyFigure {
  readonly fault: keyof typeof FAULTS;
  /** When it began, in seconds from the start: mid-way through the 50 % step. */
  readonly onsetSecond: number;
  /** The rehearsal's own figure: first canary alarm in ALARM → no traffic on the canary. */
  readonly timeToSafetySeconds: number | null;
  /** The onset → no traffic on the canary, the alarm's own evaluation included. */
  readonly fromOnsetSeconds: number | null;
  readonly status: string;
  readonly transitions: number;
}

/**
 * A prod canary whose new image regresses half-way through its 50 % step (off a minute boundary,
 * as a regression would): how long users stay on it once its alarm fires, and from the onset.
 * Also the healthy canary's cost in state transitions per minute of rollout, which judging the
 * bake continuously raises.
 */
export async function safetyFigures(templates: ProductTemplates) {
  const { Rehearsal } = await import('../../rehearsal/runner.js');
  const template = templates.environments.prod;
  if (!template) throw new Error('the benchmarked product has no prod environment');
  const rehearsal = Rehearsal.fromTemplate('prod', template);
  const scenario = (faults: unknown[]) =>
    parseScenario({
      environment: 'prod',
      fleet: { instances: 6, launchSeconds: rehearsal.settings.expectedBootSeconds, ageDays: 1 },
      releasedImage: RELEASED,
      images: { [NEW]: { releasedIn: ['dev', 'staging'] } },
      input: { action: 'canary', imageId: NEW },
      faults,
    });
  const healthy = await rehearsal.run(scenario([]));
  const half = healthy.samples.find((s) => canaryWeight(s) === 50);
  if (!half) throw new Error('the healthy prod canary has no 50 % step');
  const onsetSecond = Math.round(half.t + rehearsal.settings.canary.bakeSeconds / 2) + 17;
  const healthyCost = {
    simulatedSeconds: healthy.result.simulatedSeconds,
    transitions: healthy.result.transitions,
    transitionsPerMinute: round(healthy.result.transitions / (healthy.result.simulatedSeconds / 60), 2),
    lambdaInvocations: healthy.result.lambdaInvocations,
  };
  const figures: SafetyFigure[] = [];
  for (const fault of Object.keys(FAULTS) as Array<keyof typeof FAULTS>) {
    const run = await rehearsal.run(scenario([{ ...FAULTS[fault], atSecond: onsetSecond }]));
    const safe = run.samples.find((s) => s.t >= onsetSecond && canaryWeight(s) === 0);
    figures.push({
      fault,
      onsetSecond,
      timeToSafetySeconds: run.result.timeToSafetySeconds,
      fromOnsetSeconds: safe ? Math.round(safe.t - onsetSecond) : null,
      status: run.result.status,
      transitions: run.result.transitions,
    });
    log(`  ${fault} at ${onsetSecond} s: safe ${safe ? Math.round(safe.t - onsetSecond) : '-'} s later`);
  }
  return { healthy: healthyCost, regressions: figures };
}

/** The canary's weight: the colour that starts idle (green) in these scenarios. */
const canaryWeight = (s: SimSnapshot) => Math.round(s.weights.green);
