import { parseXML } from '@aws-sdk/xml-builder';
import type { RehearsalRun } from '../../rehearsal/runner';
import type { SimSnapshot } from '../../rehearsal/simulator';
import { alarmIntervals, labelPlacement, renderSvg } from '../../rehearsal/timeline';
import { canary, NEW, openSession, scenario } from './support';

const snapshot = (t: number, alarms: Record<string, 'OK' | 'ALARM'>) =>
  ({ t, alarms }) as unknown as SimSnapshot;

describe('alarmIntervals', () => {
  it('joins the samples in ALARM into intervals, naming the alarms', () => {
    const samples = [
      snapshot(0, { a: 'OK', b: 'OK' }),
      snapshot(60, { a: 'ALARM', b: 'OK' }),
      snapshot(90, { a: 'ALARM', b: 'ALARM' }),
      snapshot(120, { a: 'OK', b: 'OK' }),
      snapshot(300, { a: 'OK', b: 'ALARM' }),
    ];
    expect(alarmIntervals(samples, 400)).toEqual([
      { from: 60, to: 120, alarms: ['a', 'b'] },
      { from: 300, to: 400, alarms: ['b'] },
    ]);
  });

  it('is empty when nothing alarmed', () => {
    expect(alarmIntervals([snapshot(0, { a: 'OK' })], 10)).toEqual([]);
  });
});

describe('labelPlacement', () => {
  it('puts a label after its line where it fits', () => {
    expect(labelPlacement(100, 'rollback', 10, 940)).toEqual({ x: 103, anchor: 'start' });
  });

  it('puts it before its line, anchored at its end, where it would run past the right edge', () => {
    expect(labelPlacement(935, 'rollback', 10, 940)).toEqual({ x: 932, anchor: 'end' });
  });
});

describe('the picture of a rolled-back canary', () => {
  let svg: Record<string, any>;
  let run: RehearsalRun;
  beforeAll(async () => {
    // The canary's own 5xx alarm goes off mid-rollout (a regression alone is caught by the
    // step's judge before any alarm would fire).
    run = await openSession().run(
      scenario({
        input: canary(NEW),
        faults: [{ kind: 'alarm', alarm: '5xx', atSecond: 400, durationSeconds: 600 }],
      }),
    );
    svg = (parseXML(renderSvg(run, 'regression')) as { svg: Record<string, any> }).svg;
  });
  const texts = () => (svg.text as any[]).map((t) => (typeof t === 'string' ? { '#text': t } : t));

  it('labels the traffic panel with percent ticks', () => {
    const labels = texts().map((t) => t['#text']);
    expect(labels).toEqual(expect.arrayContaining(['0 %', '50 %', '100 %']));
  });

  it('shades the time the canary alarm was in ALARM', () => {
    const shaded = (svg.rect as any[]).filter(
      (r) => typeof r.title === 'string' && r.title.includes('in ALARM'),
    );
    expect(shaded.length).toBeGreaterThan(0);
    expect(shaded[0].title).toMatch(/immutable-dev-green/);
  });

  it('keeps every marker label inside the picture', () => {
    const markers = texts().filter((x) => x['font-size'] === '10' && x.fill);
    expect(markers.map((t) => t['#text'])).toContain('rollback');
    for (const t of markers) {
      const x = Number(t.x);
      const width = String(t['#text']).length * 6;
      if (t['text-anchor'] === 'end') expect(x - width).toBeGreaterThanOrEqual(0);
      else expect(x + width).toBeLessThanOrEqual(960);
    }
  });
});
