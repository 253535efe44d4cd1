import { parseXML } from '@aws-sdk/xml-builder';
import { DEPLOYED_HANDLERS } from '../../../lib/constructs/functions/handlers';
import { isDeployedHandler } from '../../../rehearsal/deployed-handlers';
import type { TrainRun } from '../../../rehearsal/train/runner';
import { renderTrainSvg } from '../../../rehearsal/train/svg';
import { formatTrainTimeline } from '../../../rehearsal/train/timeline';
import { BAKED, trains, trainScenario } from './support';

/** The train's `--json` object, as DESIGN.md's "Rehearsal contract, release trains" documents it. */
function expectTrainContract(json: Record<string, unknown>, envs: readonly string[]): void {
  expect(json.simulatedSeconds).toEqual(expect.any(Number));
  const environments = json.environments as Record<string, Record<string, unknown>>;
  expect(Object.keys(environments)).toEqual([...envs]);
  for (const e of Object.values(environments)) {
    expect(e).toEqual(
      expect.objectContaining({
        status: expect.stringMatching(
          /^(SUCCEEDED|FAILED|NOT_STARTED|WAITING_FOR_APPROVAL|RUNNING|ABORTED|TIMED_OUT)$/,
        ) as string,
        live: {
          image: expect.stringMatching(/^ami-[0-9a-f]+$/) as string,
          weights: { blue: expect.any(Number) as number, green: expect.any(Number) as number },
          trafficByImage: expect.any(Object) as object,
          instancesByImage: expect.any(Object) as object,
        },
        executions: expect.any(Number) as number,
      }),
    );
    const releasedAt = e.releasedAt;
    expect(
      releasedAt === null || (typeof releasedAt === 'string' && !Number.isNaN(Date.parse(releasedAt))),
    ).toBe(true);
    if (e.status === 'FAILED') expect(e.error).toEqual(expect.any(String));
  }
}

let run: TrainRun;
beforeAll(async () => {
  run = await trains().run(trainScenario());
});

describe('the train result', () => {
  it('has every field of the contract, per environment, in train order, and survives JSON', () => {
    expectTrainContract(JSON.parse(JSON.stringify(run.result)) as Record<string, unknown>, [
      'dev',
      'staging',
      'prod',
    ]);
  });

  it('reads as a story: each environment’s events, its outcome, and the lead time against its floor', () => {
    const text = formatTrainTimeline(run);
    expect(text).toMatch(/image-factory +baked ami-0bbbbbbbbbbbbbbbb/);
    expect(text).toMatch(/prod +alice approved ami-0bbbbbbbbbbbbbbbb/);
    for (const name of ['dev', 'staging', 'prod'])
      expect(text).toMatch(new RegExp(`\\n  ${name} +SUCCEEDED; live ${BAKED}`));
    expect(text).toMatch(/lead time \d+:\d\d:\d\d \(floor \d+:\d\d:\d\d, approval waits of .* left out\)/);
  });

  it('draws one lane per environment on one time axis, as valid SVG', () => {
    const doc = parseXML(renderTrainSvg(run, 'healthy train')) as { svg?: Record<string, unknown> };
    const root = doc.svg;
    expect(root).toMatchObject({ xmlns: 'http://www.w3.org/2000/svg' });
    const texts = ([] as unknown[])
      .concat(root?.text ?? [])
      .map((t) => (typeof t === 'string' ? t : (t as Record<string, string>)['#text']));
    for (const name of ['dev', 'staging', 'prod']) expect(texts).toContain(name);
    // A bar per execution, each titled with its outcome.
    const bars = ([] as Array<Record<string, unknown>>)
      .concat((root?.rect as never) ?? [])
      .filter((r) => r.title);
    expect(bars).toHaveLength(run.executions.length);
  });
});

describe('the rehearsal runs every deployed handler', () => {
  it('knows each function the stacks deploy, by its handler name', () => {
    expect(DEPLOYED_HANDLERS.filter((h) => !isDeployedHandler(h))).toEqual([]);
  });
});
