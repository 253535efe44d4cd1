import { clockOf, escape, instanceAreas, PALETTE } from '../timeline';
import type { TrainRun } from './runner';

const STATUS_COLOUR: Record<string, string> = {
  SUCCEEDED: '#2a7',
  FAILED: '#c33',
  TIMED_OUT: '#c33',
  ABORTED: '#c80',
  RUNNING: '#888',
};

/**
 * The train as a picture: one lane per environment, in promotion order, on one time axis. Each
 * lane shows its instances per image (stacked areas), a bar per execution (promotions thin and
 * grey-edged, rollouts thick, coloured by outcome) and a marker where a person answered.
 */
export function renderTrainSvg(run: TrainRun, title: string): string {
  const W = 1000;
  const left = 90;
  const right = 20;
  const top = 40;
  const laneH = 130;
  const plotH = 80;
  const envs = run.scenario.train;
  const H = top + envs.length * laneH + 40;
  const r = run.result;
  const end = Math.max(1, r.simulatedSeconds);
  const x = (t: number) => left + ((W - left - right) * Math.min(t, end)) / end;
  const images = [
    ...new Set(
      envs.flatMap((env) => (run.samples[env] ?? []).flatMap((s) => Object.keys(s.instancesByImage))),
    ),
  ];
  const colourOf = (image: string) => PALETTE[images.indexOf(image) % PALETTE.length] ?? '#888';

  const lanes = envs.map((env, i) => {
    const y0 = top + i * laneH;
    const samples = run.samples[env] ?? [];
    const max = Math.max(
      1,
      ...samples.map((s) => Object.values(s.instancesByImage).reduce((a, b) => a + b, 0)),
    );
    const y = (n: number) => y0 + plotH - (plotH * n) / max;
    const e = r.environments[env];
    const areas = instanceAreas(samples, images, x, y, end);
    const bars = run.executions
      .filter((ex) => ex.place === env)
      .map((ex) => {
        const promotion = ex.kind === 'promotion';
        const barY = y0 + plotH + (promotion ? 8 : 16);
        const height = promotion ? 5 : 10;
        const colour = STATUS_COLOUR[ex.status] ?? '#888';
        const x1 = x(ex.startedAt);
        const x2 = Math.max(x1 + 2, x(ex.endedAt ?? end));
        return `<rect x="${x1.toFixed(1)}" y="${barY}" width="${(x2 - x1).toFixed(1)}" height="${height}" fill="${promotion ? '#ddd' : colour}" stroke="${colour}"><title>${escape(
          `${ex.kind} ${ex.name}: ${ex.status}${ex.error ? ` (${ex.error})` : ''}, ${clockOf(ex.startedAt)}–${clockOf(ex.endedAt ?? end)}`,
        )}</title></rect>`;
      });
    const answers = r.approvals
      .filter((a) => a.environment === env)
      .map(
        (a) =>
          `<line x1="${x(a.atSecond).toFixed(1)}" x2="${x(a.atSecond).toFixed(1)}" y1="${y0}" y2="${y0 + plotH + 28}" stroke="${
            a.accepted ? '#46c' : '#aaa'
          }" stroke-dasharray="4 3"><title>${escape(`${clockOf(a.atSecond)} ${a.message}`)}</title></line>`,
      );
    return [
      `<text x="8" y="${y0 + 14}" font-size="13" font-weight="bold">${escape(env)}</text>`,
      `<text x="8" y="${y0 + 30}" font-size="11" fill="${STATUS_COLOUR[e?.status ?? ''] ?? '#555'}">${escape(
        e?.status ?? '',
      )}</text>`,
      `<text x="8" y="${y0 + 44}" font-size="10" fill="#555">max ${max} inst.</text>`,
      ...areas,
      `<line x1="${left}" x2="${W - right}" y1="${y0 + plotH}" y2="${y0 + plotH}" stroke="#333"/>`,
      ...bars,
      ...answers,
    ].join('\n');
  });

  const legend = images.map(
    (img, i) =>
      `<rect x="${left + i * 190}" y="${top - 16}" width="12" height="12" fill="${colourOf(img)}"/><text x="${
        left + i * 190 + 16
      }" y="${top - 6}" font-size="12">${escape(img)}</text>`,
  );
  const ticks = Array.from({ length: 7 }, (_, i) => (end * i) / 6).map(
    (t) =>
      `<text x="${x(t).toFixed(1)}" y="${H - 22}" font-size="11" text-anchor="middle">${clockOf(t)}</text>`,
  );
  const lead =
    r.leadTimeSeconds === null
      ? 'the baked image did not reach the last environment'
      : `lead time ${clockOf(r.leadTimeSeconds)} (floor ${clockOf(r.floorSeconds)}, approval waits left out)`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="16" font-size="14" font-weight="bold">${escape(`${title} — ${envs.join(' → ')}`)}</text>`,
    ...legend,
    ...lanes,
    ...ticks,
    `<text x="${W - right}" y="${H - 6}" font-size="11" text-anchor="end">${escape(
      `simulated ${clockOf(r.simulatedSeconds)}; ${lead}`,
    )}</text>`,
    '</svg>',
  ].join('\n');
}
