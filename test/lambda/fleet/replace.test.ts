import { checkReplacement, startReplacement } from '../../../lambda/fleet/replace';
import type { ReplaceEvent } from '../../../lambda/fleet/replace';
import type { ReplacePlan, ReplaceProgress } from '../../../lambda/shared/documents';
import { FleetNotReady } from '../../../lambda/shared/errors';
import { FakeFleetGroups } from '../fakes/fleet-groups';
import { FakeInstanceRemoval } from '../fakes/instance-removal';
import { FakeTargetHealth } from '../fakes/target-health';
import { at, execution, instanceId, instances, NOW, settings } from '../fixtures';

const s = settings();
const REPLACED = instanceId(2);
const plan: ReplacePlan = {
  kind: 'replace',
  groups: [{ colour: 'blue', group: s.groups.blue, instanceIds: [REPLACED], desired: 4 }],
  gone: [],
  estimatedSeconds: 180,
  summary: 'replace 1 instance',
};

let groups: FakeFleetGroups;
let targets: FakeTargetHealth;
let removal: FakeInstanceRemoval;

beforeEach(() => {
  groups = new FakeFleetGroups()
    .put(s.groups.blue, { desired: 4, max: 8, instances: instances(4) })
    .put(s.groups.green, { desired: 0 });
  targets = new FakeTargetHealth()
    .register(s.targetGroups.blue, Object.fromEntries(instances(4).map((i) => [i.id, 'healthy'])))
    .register(s.targetGroups.green);
  removal = new FakeInstanceRemoval(groups);
});

const deps = (now = NOW) => ({ groups, targetHealth: targets, removal, now });
const event = (progress?: ReplaceProgress): ReplaceEvent =>
  progress
    ? { op: 'check', settings: s, execution: execution(), plan, progress }
    : { op: 'start', settings: s, execution: execution(), plan };

/** The group after its replacement launched: five instances, the new one healthy. */
function replacementHealthy(): void {
  groups.put(s.groups.blue, { desired: 5, max: 8, instances: instances(5) });
  targets.register(s.targetGroups.blue, Object.fromEntries(instances(5).map((i) => [i.id, 'healthy'])));
}

describe('startReplacement', () => {
  it('grows the group by the instances it replaces, and nothing else', async () => {
    const progress = await startReplacement(event(), deps());
    expect(groups.changes).toEqual([{ name: s.groups.blue, desired: 5 }]);
    expect(progress).toMatchObject({ phase: 'launching', done: false, terminated: [] });
    expect(progress.groups[0]?.desired).toBe(4);
    expect(progress.deadline).toBe(at(s.canary.healthyDeadlineSeconds).toISOString());
    expect(removal.detached).toEqual([]);
  });

  it('fails when the group has been filled to its maximum since the plan', async () => {
    groups.put(s.groups.blue, { desired: 8, max: 8, instances: instances(8) });
    await expect(startReplacement(event(), deps())).rejects.toThrow(FleetNotReady);
    expect(groups.changes).toEqual([]);
  });
});

describe('checkReplacement', () => {
  it('waits, detaching nothing, while the replacement is not a healthy target', async () => {
    const progress = await startReplacement(event(), deps());
    groups.put(s.groups.blue, {
      desired: 5,
      instances: [...instances(4), { id: instanceId(5), lifecycle: 'Pending' }],
    });
    const next = await checkReplacement(event(progress), deps(at(60)));
    expect(next).toMatchObject({ phase: 'launching', done: false });
    expect(next.waitSeconds).toBeGreaterThan(0);
    expect(removal.detached).toEqual([]);
  });

  it('detaches the replaced instance once as many others are healthy targets as the group had', async () => {
    const progress = await startReplacement(event(), deps());
    replacementHealthy();
    const next = await checkReplacement(event(progress), deps(at(150)));
    expect(next.phase).toBe('detaching');
    expect(removal.detached).toEqual([{ group: s.groups.blue, ids: [REPLACED] }]);
    expect(removal.terminated).toEqual([]);
    expect(groups.view(s.groups.blue)?.desired).toBe(4);
  });

  it('terminates only once the target group has let the replaced instance go', async () => {
    const progress = await startReplacement(event(), deps());
    replacementHealthy();
    const detaching = await checkReplacement(event(progress), deps(at(150)));
    // Still draining from the target group.
    targets.register(s.targetGroups.blue, {
      ...Object.fromEntries(instances(5).map((i) => [i.id, 'healthy'])),
      [REPLACED]: 'draining',
    });
    const draining = await checkReplacement(event(detaching), deps(at(180)));
    expect(draining).toMatchObject({ phase: 'detaching', done: false });
    expect(removal.terminated).toEqual([]);

    targets.register(
      s.targetGroups.blue,
      Object.fromEntries(
        instances(5)
          .filter((i) => i.id !== REPLACED)
          .map((i) => [i.id, 'healthy']),
      ),
    );
    const done = await checkReplacement(event(draining), deps(at(500)));
    expect(done).toMatchObject({ phase: 'done', done: true, terminated: [REPLACED] });
    expect(removal.terminated).toEqual([[REPLACED]]);
  });

  it('gives up past the deadline: the unhealthy replacement leaves, the replaced instance keeps serving', async () => {
    const progress = await startReplacement(event(), deps());
    groups.put(s.groups.blue, {
      desired: 5,
      instances: [...instances(4), { id: instanceId(5), health: 'Unhealthy' }],
    });
    await expect(
      checkReplacement(event(progress), deps(at(s.canary.healthyDeadlineSeconds + 1))),
    ).rejects.toThrow(/did not become healthy.*the instances to replace keep serving/);
    expect(removal.detached).toEqual([{ group: s.groups.blue, ids: [instanceId(5)] }]);
    expect(removal.terminated).toEqual([[instanceId(5)]]);
    expect(removal.terminated.flat()).not.toContain(REPLACED);
  });

  it('fails without the progress Start Replacement returned', async () => {
    await expect(checkReplacement(event(), deps())).rejects.toThrow(/needs the progress/);
  });
});
