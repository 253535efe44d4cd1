import { checkFleet } from '../../../lambda/operations/check';
import type { FleetCheckSettings } from '../../../lambda/operations/check';
import { FakeExecutions } from '../fakes/executions';
import { FakeFleetGroups } from '../fakes/fleet-groups';
import { FakeImages } from '../fakes/images';
import { FakeInstanceDetails } from '../fakes/instance-details';
import { FakeLedgerStore } from '../fakes/ledger-store';
import { FakeListener } from '../fakes/listener';
import { FakeNotifier } from '../fakes/notifier';
import { FakeRuntimeParameters } from '../fakes/runtime-parameters';
import { at, fleet, instanceId, instances, NOW, OLD_AMI, settings } from '../fixtures';

const s = settings();
const STATE_MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:immutable-dev-rollout';

let ledger: FakeLedgerStore;
let details: FakeInstanceDetails;
let executions: FakeExecutions;
let notifier: FakeNotifier;

beforeEach(() => {
  ledger = new FakeLedgerStore({ record: fleet() });
  details = new FakeInstanceDetails();
  for (const [k, i] of instances(4).entries())
    details.put(i.id, { imageId: OLD_AMI, launchTime: at(-(k + 1) * 86_400) });
  details.put(instanceId(2), {
    imageId: OLD_AMI,
    launchTime: at(-86_400),
    tags: { 'immutable:tainted': 'StartSession by alice' },
  });
  executions = new FakeExecutions(STATE_MACHINE);
  notifier = new FakeNotifier();
});

const check = (policy: FleetCheckSettings['onInteractiveAccess'] = 'replace') =>
  checkFleet(
    { ...s, onInteractiveAccess: policy },
    {
      groups: new FakeFleetGroups()
        .put(s.groups.blue, { instances: instances(4) })
        .put(s.groups.green, { desired: 0 }),
      instances: details,
      ledger,
      parameters: new FakeRuntimeParameters({
        [s.parameters.releasedImage]: OLD_AMI,
        [s.parameters.listenerWeights]: '100,0',
        [s.parameters.launchTemplateVersions.blue]: '7',
        [s.parameters.launchTemplateVersions.green]: '6',
      }),
      listener: new FakeListener(s, { blue: 100, green: 0 }),
      images: new FakeImages(),
      executions,
      notifier,
      now: NOW,
    },
  );

describe('checkFleet', () => {
  it('reports the age of the oldest instance', async () => {
    expect((await check()).age).toMatchObject({ oldestDays: 4, oldestInstance: instanceId(4) });
  });

  it('replaces tainted instances still serving once the lock is free', async () => {
    const result = await check();
    expect(result.replacing?.instanceIds).toEqual([instanceId(2)]);
    expect([...executions.executions.values()]).toEqual([
      expect.objectContaining({
        action: 'replace',
        instanceIds: [instanceId(2)],
        trigger: 'interactive-access',
      }),
    ]);
    expect(result.drift.map((f) => f.kind)).toContain('tainted');
  });

  it('leaves them while a rollout holds the lock, for the next check', async () => {
    ledger.lock = {
      owner: 'x',
      action: 'canary',
      acquiredAt: NOW.toISOString(),
      expiresAt: NOW.getTime() / 1000 + 60,
    };
    expect((await check()).replacing).toBeUndefined();
    expect(executions.executions.size).toBe(0);
  });

  it('only reports them under alert', async () => {
    expect((await check('alert')).replacing).toBeUndefined();
    expect(notifier.sent).toEqual([]);
  });
});
