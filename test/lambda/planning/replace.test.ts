import { planReplace } from '../../../lambda/planning/replace';
import { checkReplaceTargets } from '../../../lambda/planning/replace-targets';
import { FleetNotReady, InvalidInput } from '../../../lambda/shared/errors';
import type { GroupView } from '../../../lambda/fleet/ports';
import { FakeFleetGroups } from '../fakes/fleet-groups';
import { instanceId, instances, request, settings } from '../fixtures';

const s = settings();

function views(
  blue: { desired: number; max?: number; ids: number[]; lifecycle?: string },
  green = { desired: 0, ids: [] as number[] },
) {
  const fakes = new FakeFleetGroups()
    .put(s.groups.blue, {
      desired: blue.desired,
      max: blue.max ?? 8,
      instances: blue.ids.map((n) => ({
        id: instanceId(n),
        ...(blue.lifecycle ? { lifecycle: blue.lifecycle } : {}),
      })),
    })
    .put(s.groups.green, {
      desired: green.desired,
      instances: green.ids.map((n) => ({ id: instanceId(n) })),
    });
  return {
    blue: fakes.view(s.groups.blue) as GroupView,
    green: fakes.view(s.groups.green) as GroupView,
  };
}

const replaceOf = (...ns: number[]) => request({ action: 'replace', instanceIds: ns.map(instanceId) });

describe('planReplace', () => {
  it('plans the named instances of the group that holds them, with its size to return to', () => {
    const plan = planReplace(replaceOf(2), s, views({ desired: 4, ids: [1, 2, 3, 4] }));
    expect(plan).toMatchObject({
      kind: 'replace',
      groups: [{ colour: 'blue', group: s.groups.blue, instanceIds: [instanceId(2)], desired: 4 }],
      gone: [],
    });
    expect(plan.summary).toContain(`replace 1 instance (${instanceId(2)} of ${s.groups.blue})`);
  });

  it('splits instances across the colours that hold them', () => {
    const plan = planReplace(
      replaceOf(1, 11),
      s,
      views({ desired: 2, ids: [1, 2] }, { desired: 2, ids: [11, 12] }),
    );
    expect(plan.kind === 'replace' && plan.groups.map((g) => [g.colour, g.instanceIds])).toEqual([
      ['blue', [instanceId(1)]],
      ['green', [instanceId(11)]],
    ]);
  });

  it('skips, saying why, when every named instance has left the fleet meanwhile', () => {
    const plan = planReplace(replaceOf(9), s, views({ desired: 2, ids: [1, 2] }));
    expect(plan).toMatchObject({ kind: 'skip' });
    expect(plan.summary).toContain('is in the fleet any more');
  });

  it('replaces those still there and names the ones already gone', () => {
    const plan = planReplace(replaceOf(1, 9), s, views({ desired: 2, ids: [1, 2] }));
    expect(plan).toMatchObject({ kind: 'replace', gone: [instanceId(9)] });
  });

  it('ignores an instance the group is already terminating', () => {
    const plan = planReplace(replaceOf(1), s, views({ desired: 1, ids: [1], lifecycle: 'Terminating' }));
    expect(plan.kind).toBe('skip');
  });

  it('fails when the group has no room for the replacements, naming the fix', () => {
    expect(() => planReplace(replaceOf(1), s, views({ desired: 4, max: 4, ids: [1, 2, 3, 4] }))).toThrow(
      FleetNotReady,
    );
    expect(() => planReplace(replaceOf(1), s, views({ desired: 4, max: 4, ids: [1, 2, 3, 4] }))).toThrow(
      /raise fleet.capacity.max or replace fewer at once/,
    );
  });
});

describe('checkReplaceTargets', () => {
  const groups = new FakeFleetGroups()
    .put(s.groups.blue, { instances: instances(2) })
    .put(s.groups.green, { instances: instances(1, 20) });

  it('accepts instances of either colour', async () => {
    await expect(checkReplaceTargets(replaceOf(1, 20), s, groups)).resolves.toBeUndefined();
  });

  it('fails when an instance is outside the fleet, naming it, its field and the groups', async () => {
    const refused = checkReplaceTargets(replaceOf(1, 7), s, groups);
    await expect(refused).rejects.toThrow(InvalidInput);
    await expect(checkReplaceTargets(replaceOf(1, 7), s, groups)).rejects.toThrow(
      `instanceIds.1 ${instanceId(7)} is not an instance of the dev fleet (${s.groups.blue}, ${s.groups.green})`,
    );
  });

  it('reads nothing for any other action', async () => {
    const untouched = new FakeFleetGroups();
    await checkReplaceTargets(request({ action: 'phoenix' }), s, untouched);
    expect(untouched.reads).toEqual([]);
  });
});
