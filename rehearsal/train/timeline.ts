import { clockOf } from '../timeline';
import type { TrainRun } from './runner';

/** A readable story of the train: one line per thing that happened, then each environment's outcome. */
export function formatTrainTimeline(run: TrainRun): string {
  const width = Math.max(...run.log.map((e) => e.place.length), 7);
  const lines = run.log.map((e) => `${clockOf(e.t).padStart(9)}  ${e.place.padEnd(width)}  ${e.text}`);
  const r = run.result;
  lines.push('');
  for (const env of run.scenario.train) {
    const e = r.environments[env];
    if (!e) continue;
    const why = e.error ? ` (${e.error})` : e.reason ? ` — ${e.reason}` : '';
    lines.push(
      `  ${env.padEnd(width)}  ${e.status}${why}; live ${e.live.image}` +
        `${e.releasedAt ? `; released the baked image at ${e.releasedAt}` : ''}; ${e.executions} executions`,
    );
  }
  lines.push(
    '',
    `  ${clockOf(r.simulatedSeconds)} simulated; lead time ${
      r.leadTimeSeconds === null
        ? 'n/a (the last environment did not release the baked image)'
        : clockOf(r.leadTimeSeconds)
    } (floor ${clockOf(r.floorSeconds)}, approval waits of ${clockOf(r.approvalWaitSeconds)} left out)`,
  );
  for (const d of r.deadLetters)
    lines.push(`  dead-lettered: ${d.source} ${d.detailType} → ${d.queue} (${d.handler}: ${d.error})`);
  return lines.join('\n');
}
