import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RehearsalResult } from '../../rehearsal/run/result';
import { loadScenarioFile } from '../../rehearsal/scenario';
import { synthesizedTemplates } from '../support/templates';
import { RehearsalSession } from '../../rehearsal/session';
import { loadTrainScenarioFile } from '../../rehearsal/train/scenario';
import { formatTrainTimeline } from '../../rehearsal/train/timeline';
import { trains } from './train/support';
import { formatTimeline, renderSvg } from '../../rehearsal/timeline';
import { expectContractShape, expectTimelineSvg } from './contract';
import { expectKnownEndState } from './support';

/**
 * Every scenario file here and every built-in demo, through what `npm run rehearse` runs:
 * loadScenarioFile, one session (synthesis + a compiled rehearsal per environment), then the
 * `--json` object, the printed timeline and the SVG picture.
 */

const SCENARIOS = join(__dirname, 'scenarios');
const DEMOS = join(__dirname, '..', '..', 'rehearsal', 'demos');

const OLD = 'ami-0123456789abcdef0';
const NEW = 'ami-0fedcba9876543210';

/** What each scenario file must end in (a subset of its `--json` result). */
const EXPECTED: Record<string, Record<string, unknown>> = {
  'canary-success': {
    status: 'SUCCEEDED',
    live: { image: NEW, trafficByImage: { [NEW]: 100 }, instancesByImage: { [NEW]: 6 } },
  },
  'canary-regression': {
    status: 'FAILED',
    error: 'CanaryFailed',
    live: { image: OLD, weights: { blue: 100, green: 0 }, trafficByImage: { [OLD]: 100 } },
  },
  'unhealthy-image': {
    status: 'FAILED',
    error: 'CanaryUnhealthy',
    live: { image: OLD, trafficByImage: { [OLD]: 100 }, instancesByImage: { [OLD]: 3 } },
  },
  'phoenix-success': { status: 'SUCCEEDED', instancesReplaced: 6, live: { instancesByImage: { [OLD]: 6 } } },
  'phoenix-skip': { status: 'SUCCEEDED', instancesReplaced: 0, floorSeconds: 0 },
  'interactive-access': {
    status: 'SUCCEEDED',
    live: { image: OLD, weights: { blue: 100, green: 0 }, instancesByImage: { [OLD]: 6 } },
    instancesReplaced: 1,
    interactiveAccess: {
      outcome: 'replacing',
      instanceState: 'Terminated',
      replacement: { status: 'SUCCEEDED' },
    },
  },
  'phoenix-alarm': {
    status: 'FAILED',
    error: 'RefreshFailed',
    live: { image: OLD, instancesByImage: { [OLD]: 6 } },
  },
  'invalid-input': { status: 'FAILED', error: 'InvalidInput', apiCalls: {}, floorSeconds: 0 },
  concurrency: {
    status: 'SUCCEEDED',
    instancesReplaced: 4,
    secondExecution: { status: 'FAILED', error: 'RolloutInProgress' },
  },
  throttling: { status: 'SUCCEEDED', live: { image: NEW, instancesByImage: { [NEW]: 4 } } },
  'launch-failures': { status: 'SUCCEEDED', live: { image: NEW, instancesByImage: { [NEW]: 4 } } },
  'lambda-errors': { status: 'SUCCEEDED', instancesReplaced: 4 },
  'missing-image': { status: 'FAILED', error: 'ImageNotFound', floorSeconds: 0 },
  'large-fleet': {
    status: 'SUCCEEDED',
    instancesReplaced: 400,
    live: { instancesByImage: { [OLD]: 400 }, trafficByImage: { [OLD]: 100 } },
  },
};

const DEMO_EXPECTED: Record<string, Record<string, unknown>> = {
  '1-phoenix-rotation': { status: 'SUCCEEDED', instancesReplaced: 4 },
  '2-canary-success': { status: 'SUCCEEDED', live: { image: 'ami-0bbbbbbbbbbbbbbbb' } },
  '3-canary-regression-rolled-back': {
    status: 'FAILED',
    error: 'CanaryFailed',
    live: { image: 'ami-0aaaaaaaaaaaaaaaa' },
  },
  '4-concurrent-start-refused': {
    status: 'SUCCEEDED',
    secondExecution: { status: 'FAILED', error: 'RolloutInProgress' },
  },
};

const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();

let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
});

/** Run a file as the CLI does and return what `--json` would print, parsed back. */
async function rehearseFile(file: string) {
  const scenario = loadScenarioFile(file);
  const run = await session.run(scenario);
  const printed = JSON.parse(JSON.stringify(run.result)) as RehearsalResult & Record<string, unknown>;
  return { scenario, run, printed };
}

describe('scenario files', () => {
  it('each file has an expected outcome, and each expectation a file', () => {
    expect(jsonFiles(SCENARIOS)).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED).sort())('%s ends as expected, in the contract shape', async (name) => {
    const { scenario, run, printed } = await rehearseFile(join(SCENARIOS, `${name}.json`));
    expectContractShape(printed);
    expect(printed).toMatchObject(EXPECTED[name] ?? {});
    expect('secondExecution' in printed).toBe(scenario.faults.some((f) => f.kind === 'second-execution'));
    if (printed.status === 'SUCCEEDED')
      expect(printed.simulatedSeconds).toBeGreaterThanOrEqual(printed.floorSeconds);
    expectKnownEndState(run, session.rehearsal(scenario.environment));
  });
});

describe('the picture and the timeline of a scenario', () => {
  it('draws every image the fleet ran, the traffic line and the outcome', async () => {
    const { run } = await rehearseFile(join(SCENARIOS, 'canary-regression.json'));
    expectTimelineSvg(renderSvg(run, 'canary-regression'), {
      images: [OLD, 'ami-0badbadbadbadbad0'],
      status: 'FAILED (CanaryFailed)',
    });
  });

  it('prints one line per state with weights and instances, then the outcome', async () => {
    const { run } = await rehearseFile(join(SCENARIOS, 'canary-regression.json'));
    const lines = formatTimeline(run).split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^\s+02:02 {2}Bake Step\s+blue\/green {2}90\/10 /));
    // judged 30 s into its bake, on its metrics so far: out before its alarm had two datapoints
    expect(lines).toContainEqual(
      expect.stringMatching(/^\s+02:32 {2}Return Traffic To Last Good Fleet\s+blue\/green {2}90\/10 /),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}outcome: FAILED \(CanaryFailed\) — step 1\/3 at 10 % on \S+ after 30 s of its 180 s bake: canary 5xx/,
      ),
    );
  });
});

/** The built-in release train (a `train` scenario, rehearsed by the train runner). */
const TRAIN_DEMO = '5-release-train';

describe('built-in demos', () => {
  it('are the four single-environment ones and the release train the CLI prints with no arguments', () => {
    expect(jsonFiles(DEMOS)).toEqual([...Object.keys(DEMO_EXPECTED), TRAIN_DEMO].sort());
  });

  it(`${TRAIN_DEMO} carries the baked image to every environment, prod after its approval`, async () => {
    const run = await trains().run(loadTrainScenarioFile(join(DEMOS, `${TRAIN_DEMO}.json`)));
    for (const env of ['dev', 'staging', 'prod'] as const)
      expect(run.result.environments[env]).toMatchObject({
        status: 'SUCCEEDED',
        live: { image: 'ami-0bbbbbbbbbbbbbbbb' },
      });
    expect(run.result.approvals).toEqual([expect.objectContaining({ environment: 'prod', accepted: true })]);
    expect(formatTrainTimeline(run)).toContain('lead time');
  });

  it.each(Object.keys(DEMO_EXPECTED).sort())('%s tells its story', async (name) => {
    const { run, printed } = await rehearseFile(join(DEMOS, `${name}.json`));
    expect(printed).toMatchObject(DEMO_EXPECTED[name] ?? {});
    expect(formatTimeline(run)).toContain(`outcome: ${printed.status}`);
  });
});
