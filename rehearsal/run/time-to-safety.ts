import type { Colour } from '../../lambda/shared/colours';
import type { WorkflowSettings } from '../../lambda/shared/settings';
import type { SimSnapshot } from '../simulator';

/**
 * Seconds from the first moment one of the canary colour's alarms was in ALARM while the canary
 * carried traffic, to the first moment after it that the canary carried none: how long a bad
 * canary kept its users. The canary colour is the one that carried less traffic at the start (the
 * idle colour a canary brings up). `null` when no such alarm went off (nothing to be safe from),
 * when the weights were even at the start (no canary to tell), or when traffic never left it
 * before the run ended.
 */
export function timeToSafetySeconds(
  samples: readonly SimSnapshot[],
  settings: Pick<WorkflowSettings, 'alarms'>,
): number | null {
  const first = samples[0];
  if (!first || first.weights.blue === first.weights.green) return null;
  const canary: Colour = first.weights.blue < first.weights.green ? 'blue' : 'green';
  const alarms = settings.alarms[canary];
  const alarmed = samples.find(
    (s) => s.weights[canary] > 0 && alarms.some((name) => s.alarms[name] === 'ALARM'),
  );
  if (!alarmed) return null;
  const safe = samples.find((s) => s.t >= alarmed.t && s.weights[canary] === 0);
  return safe ? Math.round(safe.t - alarmed.t) : null;
}
