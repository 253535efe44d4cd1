import { ScenarioError } from '../../../rehearsal/scenario';
import { isTrainScenario, parseTrainScenario } from '../../../rehearsal/train/scenario';
import { trains, trainScenario } from './support';

const refusal = (raw: unknown) => {
  try {
    parseTrainScenario(raw, 'train.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('the scenario was accepted');
};

describe('train scenarios', () => {
  it('fill in the documented defaults', () => {
    const s = parseTrainScenario(
      trainScenario({ untilSecond: undefined, bake: { imageId: 'ami-0bbbbbbbbbbbbbbbb' } }),
    );
    expect(s).toMatchObject({
      untilSecond: 259_200,
      requestsPerSecond: 200,
      bake: { atSecond: 0, scanned: true, findings: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 } },
      fleets: { dev: { launchSeconds: 120, ageDays: 30 } },
    });
    expect(isTrainScenario(trainScenario())).toBe(true);
    expect(isTrainScenario({ environment: 'dev' })).toBe(false);
  });

  it.each([
    [{ trian: ['dev'] }, 'trian is not a known field'],
    [{ train: ['dev', 'dev'] }, 'train must name each environment once'],
    [{ train: ['Q A'] }, "train.0 must be an environment's name (lowercase letters, digits and hyphens"],
    [
      { fleets: { dev: { instances: 2 }, staging: { instances: 3 } } },
      'fleets.prod is required for each environment in the train',
    ],
    [{ bake: { imageId: 'ami-0cccccccccccccccc' } }, 'bake.imageId must be listed in images'],
    [
      { approvals: [{ environment: 'prod', atSecond: 1, decision: 'yes' }] },
      'approvals.0.decision must be "approve" or "reject"',
    ],
    [
      { faults: [{ kind: 'alarm', environment: 'qa', atSecond: 1, alarm: '5xx' }] },
      'faults.0.environment is not in the train',
    ],
    [
      { images: { 'ami-0bbbbbbbbbbbbbbbb': { errorRateIn: { qa: 0.2 } } } },
      'images.ami-0bbbbbbbbbbbbbbbb.errorRateIn.qa is not in the train',
    ],
    [
      { faults: [{ kind: 'stop', atTransition: 3 }] },
      'faults.0.kind must be alarm, regression, throttle, launch-failure, lambda-error, lambda-timeout, execution (or second-execution), interactive-access, deregister, event, got "stop"',
    ],
    [
      { images: { 'ami-0bbbbbbbbbbbbbbbb': { errorRateIn: { staging: 2 } } } },
      'images.ami-0bbbbbbbbbbbbbbbb.errorRateIn.staging must be <= 1',
    ],
  ])('refuse %j, naming the field', (change, message) => {
    expect(refusal({ ...trainScenario(), ...change })).toContain(message);
  });

  it('refuse environments listed out of promotion order, saying what each takes', async () => {
    await expect(
      trains().run(
        trainScenario({
          train: ['dev', 'prod'],
          fleets: { dev: { instances: 2 }, prod: { instances: 2 } },
          approvals: [],
        }),
      ),
    ).rejects.toThrow(
      "train.1: prod takes staging's releases, not dev's: list the environments in promotion order",
    );
    await expect(
      trains().run(
        trainScenario({ train: ['staging'], fleets: { staging: { instances: 2 } }, approvals: [] }),
      ),
    ).rejects.toThrow("train.0: staging takes dev's releases, not the image factory's");
  });

  it('fails when the train names an environment the product does not have, listing its environments', async () => {
    await expect(
      trains().run(trainScenario({ train: ['qa'], fleets: { qa: { instances: 2 } }, approvals: [] })),
    ).rejects.toThrow('train.0: qa is not an environment of this product (dev, staging, prod)');
  });
});
