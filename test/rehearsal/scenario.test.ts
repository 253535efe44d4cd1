import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AMI_ID_RULE } from '../../lambda/shared/ami';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../rehearsal/scenario';
import { scratchDir } from '../support/synth';
import { openSession } from './support';

const minimal = {
  environment: 'dev',
  fleet: { instances: 4 },
  releasedImage: 'ami-0123456789abcdef0',
  input: { action: 'phoenix' },
};

/** The message parseScenario throws for `raw`, one line per problem. */
function problems(raw: unknown): string[] {
  try {
    parseScenario(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message.split('\n').slice(1);
  }
  throw new Error('the scenario was accepted');
}

describe('a valid scenario', () => {
  it('gets the documented defaults for everything left out', () => {
    expect(parseScenario(minimal)).toEqual({
      ...minimal,
      fleet: { instances: 4, launchSeconds: 120, ageDays: 30, previousColourWarm: false },
      images: {},
      faults: [],
      requestsPerSecond: 200,
      lambdaLatencySeconds: 0.2,
      startTime: '2026-11-26T10:00:00Z',
    });
  });

  it('passes the execution input through untouched: the workflow validates it', () => {
    expect(parseScenario({ ...minimal, input: { action: 'canary', imgeId: 'x' } }).input).toEqual({
      action: 'canary',
      imgeId: 'x',
    });
  });

  it('accepts every fault kind of the contract, and stop', () => {
    const faults = [
      { atSecond: 300, kind: 'alarm', alarm: '5xx', durationSeconds: 120 },
      { atSecond: 0, kind: 'throttle', calls: 3 },
      { atSecond: 0, kind: 'launch-failure', count: 2 },
      { atSecond: 10, kind: 'lambda-error', count: 1 },
      { atSecond: 20, kind: 'lambda-timeout', count: 2 },
      { atSecond: 60, kind: 'second-execution', input: { action: 'phoenix' } },
      { kind: 'stop', atTransition: 12 },
    ];
    expect(parseScenario({ ...minimal, faults }).faults).toEqual(faults);
  });
});

describe('an invalid scenario', () => {
  it('fails when a field is unknown, at any depth, naming its path', () => {
    expect(
      problems({
        ...minimal,
        fleet: { instances: 4, agedays: 3 },
        images: { 'ami-0fedcba9876543210': { healthy: true, colour: 'green' } },
        faults: [{ atSecond: 0, kind: 'alarm', alarm: '5xx', count: 2 }],
        inputs: {},
      }),
    ).toEqual([
      'fleet.agedays is not a known field',
      'images.ami-0fedcba9876543210.colour is not a known field',
      'faults.0.count is not a known field',
      'inputs is not a known field',
    ]);
  });

  it('fails when a value is wrong, naming the field and echoing the value', () => {
    expect(
      problems({
        environment: 'Q A',
        fleet: { instances: -1, launchSeconds: 'slow' },
        releasedImage: 'ami-1',
        images: { 'ami-2': {} },
        input: { action: 'phoenix' },
        startTime: 'tomorrow',
      }),
    ).toEqual([
      'environment must be an environment\'s name (lowercase letters, digits and hyphens, starting with a letter), got "Q A"',
      'fleet.instances must be >= 0, got -1',
      'fleet.launchSeconds must be a number of seconds, got "slow"',
      `releasedImage ${AMI_ID_RULE}, got "ami-1"`,
      `images.ami-2 ${AMI_ID_RULE}`,
      'startTime must be an ISO-8601 UTC timestamp, got "tomorrow"',
    ]);
  });

  it('fails when a fault is of no known kind, or misses what its kind needs', () => {
    expect(
      problems({
        ...minimal,
        faults: [
          { atSecond: 0, kind: 'reboot' },
          { kind: 'stop', atTransition: 0 },
          { atSecond: 5, kind: 'second-execution' },
        ],
      }),
    ).toEqual([
      'faults.0.kind must be alarm, regression, throttle, launch-failure, lambda-error, lambda-timeout, execution (or second-execution), interactive-access, deregister, event or stop, got "reboot"',
      'faults.1.atTransition must be >= 1, got 0',
      'faults.2.input is required: the execution input, such as {"action":"phoenix"}',
    ]);
  });

  it('fails when the input is missing', () => {
    const { input: _input, ...noInput } = minimal;
    expect(problems(noInput)).toEqual([
      'input is required: the execution input, such as {"action":"phoenix"}',
    ]);
  });
});

describe('a scenario file', () => {
  let dir: string;
  beforeAll(() => {
    dir = scratchDir();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read and parsed', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(minimal));
    expect(loadScenarioFile(file).environment).toBe('dev');
  });

  it('fails when it is not JSON, naming the file', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "environment": "dev", ');
    expect(() => loadScenarioFile(file)).toThrow(
      expect.objectContaining({
        name: 'ScenarioError',
        message: expect.stringContaining(`${file} is not readable JSON`),
      }),
    );
  });

  it('fails when it is invalid, naming the file and the field', () => {
    const file = join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ ...minimal, fleet: {} }));
    expect(() => loadScenarioFile(file)).toThrow(
      `${file} is not a valid scenario:\nfleet.instances must be a whole number`,
    );
  });
});

describe('environments the rehearsed product does not have', () => {
  it('fails when the scenario names one, listing the product’s environments', async () => {
    const session = openSession();
    await expect(session.run(parseScenario({ ...minimal, environment: 'qa' }))).rejects.toThrow(
      new ScenarioError('environment: qa is not an environment of this product (dev, staging, prod)'),
    );
    const releasedInQa = {
      ...minimal,
      images: { 'ami-0bbbbbbbbbbbbbbbb': { releasedIn: ['staging', 'qa'] } },
    };
    await expect(session.run(parseScenario(releasedInQa))).rejects.toThrow(
      new ScenarioError(
        'images.ami-0bbbbbbbbbbbbbbbb.releasedIn.1: qa is not an environment of this product (dev, staging, prod)',
      ),
    );
  });
});
