import type { RehearsalRun } from './runner';
import type { TimelineEvent } from './run/execution-driver';
import type { SimSnapshot } from './simulator';

/** States whose entry marks a moment worth a line in the printed timeline. */
const QUIET = new Set(['Load Settings']);

export function clockOf(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${h > 0 ? `${h}:` : ''}${pad(m)}:${pad(s % 60)}`;
}

const short = (image: string) => image.replace(/^ami-0*/, 'ami-').slice(0, 12);

function describeSnapshot(s: SimSnapshot): string {
  const instances = Object.entries(s.instancesByImage)
    .filter(([, n]) => n > 0)
    .map(([img, n]) => `${short(img)}×${n}`)
    .join(' ');
  const alarms = Object.entries(s.alarms)
    .filter(([, v]) => v === 'ALARM')
    .map(([k]) => k.replace(/^immutable-[a-z]+-/, ''));
  return `blue/green ${String(s.weights.blue).padStart(3)}/${String(s.weights.green).padEnd(3)}  ${instances || 'no instances'}${
    alarms.length ? `  ALARM: ${alarms.join(', ')}` : ''
  }`;
}

/** A readable timeline: time, state, weights, instances per image, alarms. */
export function formatTimeline(run: RehearsalRun): string {
  const lines: string[] = [];
  let last = '';
  for (const e of run.timeline) {
    if (QUIET.has(e.state) || e.kind === 'caught') continue;
    const who =
      e.execution === 'second'
        ? ' [2nd]'
        : e.execution === 'recovery'
          ? ' [restore]'
          : e.execution === 'access'
            ? ' [replace]'
            : '';
    const label = e.kind === 'retried' ? `${e.state} (retry)` : e.state;
    const line = `${clockOf(e.t).padStart(8)}  ${(label + who).padEnd(38)} ${describeSnapshot(e.snapshot)}`;
    if (line !== last) lines.push(line);
    last = line;
  }
  const r = run.result;
  lines.push(
    '',
    `  outcome: ${r.status}${r.error ? ` (${r.error})` : ''}${r.cause ? ` — ${r.cause}` : ''}`,
    `  live image ${r.live.image}; weights blue/green ${r.live.weights.blue}/${r.live.weights.green}; ` +
      `${r.instancesReplaced} instances replaced; lowest healthy share ${Math.round(r.minHealthyFraction * 100)} %`,
    `  ${clockOf(r.simulatedSeconds)} simulated (floor ${clockOf(r.floorSeconds)}), ${r.transitions} transitions, ` +
      `${r.lambdaInvocations} Lambda invocations, ${Object.values(r.apiCalls).reduce((a, b) => a + b, 0)} AWS calls`,
  );
  if (r.secondExecution)
    lines.push(
      `  second execution: ${r.secondExecution.status}${r.secondExecution.error ? ` (${r.secondExecution.error})` : ''}`,
    );
  return lines.join('\n');
}

export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1'];

export const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Instances per image as stacked step areas over simulated time, one polygon per image. */
export function instanceAreas(
  samples: readonly SimSnapshot[],
  images: readonly string[],
  x: (t: number) => number,
  y: (n: number) => number,
  end: number,
): string[] {
  return images.map((img, i) => {
    const lower = (s: SimSnapshot) =>
      images.slice(0, i).reduce((sum, k) => sum + (s.instancesByImage[k] ?? 0), 0);
    const upper = (s: SimSnapshot) => lower(s) + (s.instancesByImage[img] ?? 0);
    const pts: string[] = [];
    samples.forEach((s, k) => {
      const next = samples[k + 1]?.t ?? end;
      pts.push(
        `${x(s.t).toFixed(1)},${y(upper(s)).toFixed(1)}`,
        `${x(next).toFixed(1)},${y(upper(s)).toFixed(1)}`,
      );
    });
    const back: string[] = [];
    [...samples].reverse().forEach((s, k, arr) => {
      const next = arr[k - 1]?.t ?? end;
      back.push(
        `${x(next).toFixed(1)},${y(lower(s)).toFixed(1)}`,
        `${x(s.t).toFixed(1)},${y(lower(s)).toFixed(1)}`,
      );
    });
    const colour = PALETTE[i % PALETTE.length] ?? '#888';
    return `<polygon points="${[...pts, ...back].join(' ')}" fill="${colour}" fill-opacity="0.75" stroke="${colour}"><title>${escape(img)}</title></polygon>`;
  });
}

/** Seconds during which at least one alarm was in ALARM, as [from, to) intervals, with the alarms' names. */
export function alarmIntervals(
  samples: readonly SimSnapshot[],
  end: number,
): Array<{ from: number; to: number; alarms: string[] }> {
  const intervals: Array<{ from: number; to: number; alarms: string[] }> = [];
  let open: { from: number; alarms: Set<string> } | undefined;
  for (const s of samples) {
    const firing = Object.entries(s.alarms)
      .filter(([, state]) => state === 'ALARM')
      .map(([name]) => name);
    if (firing.length > 0) {
      if (!open) open = { from: s.t, alarms: new Set() };
      for (const name of firing) open.alarms.add(name);
    } else if (open) {
      intervals.push({ from: open.from, to: s.t, alarms: [...open.alarms].sort() });
      open = undefined;
    }
  }
  if (open) intervals.push({ from: open.from, to: end, alarms: [...open.alarms].sort() });
  return intervals.filter((i) => i.to > i.from);
}

/**
 * A marker's label placed inside the picture: after the line, or before it (anchored at its end)
 * where it would run past the right edge. Widths are estimated (0.6 em per character).
 */
export function labelPlacement(
  lineX: number,
  label: string,
  fontSize: number,
  rightEdge: number,
): { x: number; anchor: 'start' | 'end' } {
  const width = label.length * fontSize * 0.6;
  return lineX + 3 + width <= rightEdge ? { x: lineX + 3, anchor: 'start' } : { x: lineX - 3, anchor: 'end' };
}

/**
 * The rollout as a picture: instances per image (stacked areas) and the share of traffic on
 * the green colour over simulated time (a percent axis), with a marker at each traffic step,
 * refresh check and rollback (labels kept inside the picture), alarm intervals shaded, and the
 * outcome in the title.
 */
export function renderSvg(run: RehearsalRun, title: string): string {
  const W = 960;
  const H = 420;
  const left = 60;
  const right = 20;
  const top = 50;
  const plotH = 230;
  const trafficTop = top + plotH + 30;
  const trafficH = 70;
  const samples = run.samples.length ? run.samples : [];
  const end = Math.max(1, run.result.simulatedSeconds, ...samples.map((s) => s.t));
  const x = (t: number) => left + ((W - left - right) * t) / end;
  const images = [...new Set(samples.flatMap((s) => Object.keys(s.instancesByImage)))];
  const maxInstances = Math.max(
    1,
    ...samples.map((s) => Object.values(s.instancesByImage).reduce((a, b) => a + b, 0)),
  );
  const y = (n: number) => top + plotH - (plotH * n) / maxInstances;

  const areas = instanceAreas(samples, images, x, y, end);
  const legend = images.map((img, i) => {
    const colour = PALETTE[i % PALETTE.length] ?? '#888';
    return `<rect x="${left + i * 190}" y="${top - 22}" width="12" height="12" fill="${colour}"/><text x="${left + i * 190 + 16}" y="${top - 12}" font-size="12">${escape(img)}</text>`;
  });

  // Traffic on green (0-100 %) as a step line.
  const ty = (p: number) => trafficTop + trafficH - (trafficH * p) / 100;
  const traffic = samples
    .map((s, k) => {
      const next = samples[k + 1]?.t ?? end;
      return `${x(s.t).toFixed(1)},${ty(s.weights.green).toFixed(1)} ${x(next).toFixed(1)},${ty(s.weights.green).toFixed(1)}`;
    })
    .join(' ');

  const markers = run.timeline
    .filter((e) => e.kind === 'entered' && MARKERS[e.state])
    .map((e: TimelineEvent) => {
      const m = MARKERS[e.state] as { colour: string; label: string };
      const place = labelPlacement(x(e.t), m.label, 10, W - right);
      return `<line x1="${x(e.t).toFixed(1)}" x2="${x(e.t).toFixed(1)}" y1="${top}" y2="${trafficTop + trafficH}" stroke="${m.colour}" stroke-dasharray="4 3"><title>${escape(
        `${clockOf(e.t)} ${e.state}`,
      )}</title></line><text x="${place.x.toFixed(1)}" y="${top + 12}" font-size="10" fill="${m.colour}" text-anchor="${place.anchor}">${escape(m.label)}</text>`;
    });

  // Where an alarm was in ALARM, shaded across both panels.
  const shading = alarmIntervals(samples, end).map(
    (i) =>
      `<rect x="${x(i.from).toFixed(1)}" y="${top}" width="${Math.max(1, x(i.to) - x(i.from)).toFixed(1)}" height="${trafficTop + trafficH - top}" fill="#d62728" fill-opacity="0.12"><title>${escape(
        `${clockOf(i.from)}–${clockOf(i.to)} in ALARM: ${i.alarms.join(', ')}`,
      )}</title></rect>`,
  );
  // The traffic panel's percent axis.
  const percentTicks = [0, 50, 100].map(
    (p) =>
      `<line x1="${left - 4}" x2="${W - right}" y1="${ty(p).toFixed(1)}" y2="${ty(p).toFixed(1)}" stroke="#ccc" stroke-width="0.5"/><text x="${left - 6}" y="${(ty(p) + 4).toFixed(1)}" font-size="10" text-anchor="end">${p} %</text>`,
  );

  const ticks = Array.from({ length: 7 }, (_, i) => (end * i) / 6).map(
    (t) =>
      `<text x="${x(t).toFixed(1)}" y="${H - 8}" font-size="11" text-anchor="middle">${clockOf(t)}</text>`,
  );
  const r = run.result;
  const headline = `${title} — ${r.status}${r.error ? ` (${r.error})` : ''}; live ${r.live.image}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">${escape(headline)}</text>`,
    ...legend,
    `<text x="12" y="${top + plotH / 2}" font-size="11" transform="rotate(-90 12 ${top + plotH / 2})">instances (max ${maxInstances})</text>`,
    ...areas,
    `<line x1="${left}" x2="${W - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`,
    `<text x="12" y="${trafficTop + trafficH / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${trafficTop + trafficH / 2})">% to green</text>`,
    `<rect x="${left}" y="${trafficTop}" width="${W - left - right}" height="${trafficH}" fill="#f4f4f4"/>`,
    ...percentTicks,
    ...shading,
    `<polyline points="${traffic}" fill="none" stroke="#2a7" stroke-width="2"/>`,
    ...markers,
    ...ticks,
    `<text x="${W - right}" y="${H - 24}" font-size="11" text-anchor="end">simulated ${clockOf(r.simulatedSeconds)} (floor ${clockOf(
      r.floorSeconds,
    )}), ${r.transitions} transitions, lowest healthy ${Math.round(r.minHealthyFraction * 100)} %</text>`,
    '</svg>',
  ].join('\n');
}

const MARKERS: Record<string, { colour: string; label: string }> = {
  'Shift Traffic': { colour: '#2a7', label: 'step' },
  'Start Refresh': { colour: '#46c', label: 'refresh' },
  'Promote Release': { colour: '#070', label: 'promote' },
  'Flip Traffic Back': { colour: '#c60', label: 'flip back' },
  'Return Traffic To Last Good Fleet': { colour: '#c00', label: 'rollback' },
  'Retire Previous Colour': { colour: '#777', label: 'retire' },
};
