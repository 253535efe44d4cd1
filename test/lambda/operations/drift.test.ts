import { findDrift } from '../../../lambda/operations/drift';
import { fleetAge } from '../../../lambda/operations/fleet-age';
import type { FleetObservation } from '../../../lambda/operations/observe';
import type { GroupView, InstanceView } from '../../../lambda/fleet/ports';
import { at, fleet, instanceId, NEW_AMI, NOW, OLD_AMI } from '../fixtures';

const LINEAGE = new Map([
  ['immutable:pipeline', 'p'],
  ['immutable:recipe', 'r'],
  ['immutable:recipe-version', '1.0.0'],
  ['immutable:source-revision', 'abc'],
]);

const group = (name: string, ids: number[], version = '7', desired = ids.length): GroupView => ({
  name,
  min: 0,
  max: 8,
  desired,
  version,
  instances: ids.map((n) => ({ id: instanceId(n), lifecycle: 'InService', healthy: true, version })),
});
const instance = (n: number, o: Partial<InstanceView> = {}): InstanceView => ({
  id: instanceId(n),
  imageId: OLD_AMI,
  launchTime: at(-n * 86_400),
  state: 'running',
  tags: new Map(),
  ...o,
});

/** The dev fleet as released: blue live on OLD_AMI at version 7, green idle at 6, parameters agreeing. */
function observation(o: Partial<FleetObservation> = {}): FleetObservation {
  return {
    environment: 'dev',
    now: NOW,
    record: fleet(),
    groups: { blue: group('immutable-dev-blue', [1, 2, 3, 4]), green: group('immutable-dev-green', [], '6') },
    instances: [1, 2, 3, 4].map((n) => instance(n)),
    weights: { blue: 100, green: 0 },
    parameters: { releasedImage: OLD_AMI, listenerWeights: '100,0', versions: { blue: '7', green: '6' } },
    imageTags: new Map([[OLD_AMI, LINEAGE]]),
    ...o,
  };
}

describe('findDrift', () => {
  it('finds nothing in the fleet as released', () => {
    expect(findDrift(observation())).toEqual([]);
  });

  it('finds an instance on another image than the released one', () => {
    const o = observation({
      instances: [instance(1, { imageId: NEW_AMI }), instance(2), instance(3), instance(4)],
      imageTags: new Map([
        [OLD_AMI, LINEAGE],
        [NEW_AMI, LINEAGE],
      ]),
    });
    expect(findDrift(o)).toEqual([
      { kind: 'image', subject: instanceId(1), detail: `runs ${NEW_AMI}, not the released ${OLD_AMI}` },
    ]);
  });

  it("finds an instance launched from another version than its group's recorded one", () => {
    const blue = group('immutable-dev-blue', [1, 2]);
    const o = observation({
      groups: { blue: { ...blue, instances: [{ ...blue.instances[0]!, version: '5' }, blue.instances[1]!] } },
      instances: [instance(1), instance(2)],
    });
    expect(findDrift(o).map((f) => [f.kind, f.subject])).toEqual([
      ['launch-template-version', instanceId(1)],
    ]);
  });

  it('finds runtime parameters that disagree with the ledger', () => {
    const o = observation({ parameters: { releasedImage: NEW_AMI, versions: { blue: '7', green: '9' } } });
    expect(findDrift(o).map((f) => f.subject)).toEqual(['released image', 'green launch-template version']);
  });

  it('finds split weights and a running idle colour only while no rollout holds the lock', () => {
    const o = observation({
      weights: { blue: 90, green: 10 },
      groups: {
        blue: group('immutable-dev-blue', [1, 2, 3, 4]),
        green: group('immutable-dev-green', [], '6', 2),
      },
    });
    expect(findDrift(o).map((f) => f.kind)).toEqual(['weights', 'warm-colour']);
    const locked = {
      ...o,
      lock: { owner: 'x', action: 'canary', acquiredAt: NOW.toISOString(), expiresAt: 0 },
    };
    expect(findDrift(locked)).toEqual([]);
  });

  it('accepts the idle colour inside its warm window, on its previous image', () => {
    const o = observation({
      record: fleet({ warm: { colour: 'green', image: NEW_AMI, until: at(600).toISOString() } }),
      groups: { blue: group('immutable-dev-blue', [1, 2]), green: group('immutable-dev-green', [3], '6') },
      instances: [instance(1), instance(2), instance(3, { imageId: NEW_AMI })],
      imageTags: new Map([
        [OLD_AMI, LINEAGE],
        [NEW_AMI, LINEAGE],
      ]),
    });
    expect(findDrift(o)).toEqual([]);
  });

  it('finds an AMI in use without its lineage tags, naming the missing ones', () => {
    const o = observation({ imageTags: new Map([[OLD_AMI, new Map([['immutable:pipeline', 'p']])]]) });
    expect(findDrift(o)).toEqual([
      {
        kind: 'lineage',
        subject: OLD_AMI,
        detail:
          'in use without lineage tags immutable:recipe, immutable:recipe-version, immutable:source-revision',
      },
    ]);
  });

  it('finds a tainted instance still serving, and says so without a record', () => {
    const o = observation({
      instances: [
        instance(1, { tags: new Map([['immutable:tainted', 'StartSession by alice']]) }),
        instance(2),
      ],
    });
    expect(findDrift(o).map((f) => [f.kind, f.subject])).toContainEqual(['tainted', instanceId(1)]);
    expect(findDrift({ ...observation(), record: undefined }).map((f) => f.kind)).toEqual(['no-record']);
  });
});

describe('fleetAge', () => {
  it('reports the oldest and median InService instance, per image and per colour', () => {
    const age = fleetAge(observation());
    expect(age).toMatchObject({
      oldestDays: 4,
      medianDays: 2.5,
      oldestInstance: instanceId(4),
      releasedImageDays: 10,
      byImage: { [OLD_AMI]: 4 },
      byColour: { blue: 4, green: 0 },
      tainted: [],
    });
  });

  it('is zero for a fleet with no instance', () => {
    expect(fleetAge(observation({ groups: {}, instances: [] }))).toMatchObject({
      oldestDays: 0,
      medianDays: 0,
    });
  });
});
