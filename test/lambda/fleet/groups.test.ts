import { describeGroups, inService, scaleToZero } from '../../../lambda/fleet/groups';
import { FleetNotReady } from '../../../lambda/shared/errors';
import { FakeFleetGroups } from '../fakes/fleet-groups';
import { instanceId, settings } from '../fixtures';

const names = settings().groups;

describe('describeGroups', () => {
  it('views both groups in one read', async () => {
    const groups = new FakeFleetGroups()
      .put('immutable-dev-green', { min: 0, desired: 0, max: 8, version: '6' })
      .put('immutable-dev-blue', {
        min: 2,
        desired: 2,
        max: 8,
        version: '7',
        instances: [
          { id: instanceId(1) },
          { id: instanceId(2), lifecycle: 'Pending', health: 'Unhealthy', version: '8' },
        ],
      });
    const views = await describeGroups(groups, names);
    expect(views).toEqual({
      blue: {
        name: 'immutable-dev-blue',
        min: 2,
        max: 8,
        desired: 2,
        version: '7',
        instances: [
          { id: instanceId(1), lifecycle: 'InService', healthy: true, version: '7' },
          { id: instanceId(2), lifecycle: 'Pending', healthy: false, version: '8' },
        ],
      },
      green: { name: 'immutable-dev-green', min: 0, max: 8, desired: 0, version: '6', instances: [] },
    });
    expect(inService(views.blue).map((i) => i.id)).toEqual([instanceId(1)]);
    expect(groups.reads).toEqual([{ blue: 'immutable-dev-blue', green: 'immutable-dev-green' }]);
  });

  it('fails with FleetNotReady naming the missing group and its colour', async () => {
    const groups = new FakeFleetGroups().put('immutable-dev-green');
    await expect(describeGroups(groups, names)).rejects.toThrow(
      new FleetNotReady(
        'Auto Scaling group immutable-dev-blue (blue) does not exist; deploy the stack first',
      ),
    );
  });
});

describe('scaleToZero', () => {
  it('drops both the minimum and the desired capacity, and leaves the maximum', async () => {
    const groups = new FakeFleetGroups().put('immutable-dev-green', { min: 2, desired: 4, max: 8 });
    await scaleToZero(groups, 'immutable-dev-green');
    expect(groups.changes).toEqual([{ name: 'immutable-dev-green', min: 0, desired: 0 }]);
    expect(groups.view('immutable-dev-green')).toMatchObject({ min: 0, desired: 0, max: 8 });
  });
});
