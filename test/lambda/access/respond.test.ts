import { answerInteractiveAccess } from '../../../lambda/access/respond';
import type { AccessSettings } from '../../../lambda/access/respond';
import { MalformedEvent } from '../../../lambda/shared/errors';
import { FakeExecutions } from '../fakes/executions';
import { FakeFleetGroups } from '../fakes/fleet-groups';
import { FakeInstanceDetails } from '../fakes/instance-details';
import { FakeLedgerStore } from '../fakes/ledger-store';
import { FakeNotifier } from '../fakes/notifier';
import { at, instanceId, instances, NOW, settings } from '../fixtures';

const s = settings();
const STATE_MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:immutable-dev-rollout';
const ALICE = 'arn:aws:sts::111122223333:assumed-role/Admin/alice';
const EVENT_TIME = '2026-03-02T09:59:30Z';

/** An EventBridge "AWS API Call via CloudTrail" event of one interactive-access call. */
function call(eventName: string, requestParameters: unknown, extra: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: '6f3c1b1e-8c1e-4c35-9a52-8d1c6a1b2c3d',
    'detail-type': 'AWS API Call via CloudTrail',
    source: eventName === 'SendSSHPublicKey' ? 'aws.ec2-instance-connect' : 'aws.ssm',
    account: '111122223333',
    time: EVENT_TIME,
    region: 'eu-west-1',
    detail: {
      eventVersion: '1.08',
      eventTime: EVENT_TIME,
      eventSource:
        eventName === 'SendSSHPublicKey' ? 'ec2-instance-connect.amazonaws.com' : 'ssm.amazonaws.com',
      eventName,
      userIdentity: { type: 'AssumedRole', arn: ALICE },
      requestParameters,
      ...extra,
    },
  };
}

let groups: FakeFleetGroups;
let details: FakeInstanceDetails;
let lock: FakeLedgerStore;
let executions: FakeExecutions;
let notifier: FakeNotifier;

beforeEach(() => {
  groups = new FakeFleetGroups()
    .put(s.groups.blue, { instances: instances(4) })
    .put(s.groups.green, { desired: 0 });
  details = new FakeInstanceDetails();
  for (const i of instances(4)) details.put(i.id, { tags: { 'immutable:colour': 'blue', Role: 'web' } });
  details.put(instanceId(99), { tags: { Role: 'web' } });
  lock = new FakeLedgerStore();
  executions = new FakeExecutions(STATE_MACHINE);
  notifier = new FakeNotifier();
});

const answer = (event: unknown, policy: AccessSettings['onInteractiveAccess'] = 'replace') =>
  answerInteractiveAccess(
    event,
    { environment: 'dev', groups: s.groups, onInteractiveAccess: policy },
    { groups, instances: details, tagger: details, lock, executions, notifier, now: NOW },
  );

const TAINT = `StartSession by ${ALICE} at ${EVENT_TIME}`;

describe('answerInteractiveAccess under "replace"', () => {
  it('tags the instance with how, who and when, and starts a replace of it', async () => {
    const outcome = await answer(call('StartSession', { target: instanceId(2) }));
    expect(outcome).toMatchObject({ outcome: 'replacing', instanceIds: [instanceId(2)], taint: TAINT });
    expect(details.tagged).toEqual([{ ids: [instanceId(2)], tags: { 'immutable:tainted': TAINT } }]);
    expect([...executions.executions]).toEqual([
      [
        'access-6f3c1b1e-8c1e-4c35-9a52-8d1c6a1b2c3d',
        {
          action: 'replace',
          instanceIds: [instanceId(2)],
          trigger: 'interactive-access',
          reason: `replace tainted instances: StartSession by ${ALICE}`,
        },
      ],
    ]);
    expect(notifier.sent[0]?.message).toContain('being replaced by');
  });

  it('defers the replace while a rollout holds the lock, and says so', async () => {
    lock.lock = {
      owner: 'arn:exec',
      action: 'canary',
      acquiredAt: at(-60).toISOString(),
      expiresAt: NOW.getTime() / 1000 + 600,
    };
    const outcome = await answer(call('StartSession', { target: instanceId(2) }));
    expect(outcome.outcome).toBe('deferred');
    expect(executions.executions.size).toBe(0);
    expect(details.tagged).toHaveLength(1);
    expect(notifier.sent[0]?.message).toContain('the scheduled fleet check replaces the tainted instances');
  });

  it('starts the replace when the lock has expired', async () => {
    lock.lock = {
      owner: 'arn:exec',
      action: 'canary',
      acquiredAt: at(-9000).toISOString(),
      expiresAt: NOW.getTime() / 1000 - 1,
    };
    expect((await answer(call('StartSession', { target: instanceId(2) }))).outcome).toBe('replacing');
  });
});

describe('answerInteractiveAccess under "alert"', () => {
  it('tags and notifies with the replace command, and starts nothing', async () => {
    const outcome = await answer(
      call('SendSSHPublicKey', { instanceId: instanceId(1), instanceOSUser: 'ec2-user' }),
      'alert',
    );
    expect(outcome.outcome).toBe('alerted');
    expect(details.tagged[0]?.ids).toEqual([instanceId(1)]);
    expect(executions.executions.size).toBe(0);
    expect(notifier.sent[0]?.message).toContain(`{"action":"replace","instanceIds":["${instanceId(1)}"]}`);
  });
});

describe('the instances a call reached', () => {
  it('takes Run Command instance ids, leaving out instances of no fleet group', async () => {
    const outcome = await answer(
      call('SendCommand', {
        instanceIds: [instanceId(1), instanceId(99)],
        documentName: 'AWS-RunShellScript',
      }),
    );
    expect(outcome).toMatchObject({ instanceIds: [instanceId(1)] });
  });

  it('resolves Run Command tag targets against the fleet instances only', async () => {
    const outcome = await answer(call('SendCommand', { targets: [{ key: 'tag:Role', values: ['web'] }] }));
    expect(outcome).toMatchObject({ instanceIds: instances(4).map((i) => i.id) });
    expect(details.tagged[0]?.ids).not.toContain(instanceId(99));
  });

  it('ignores a call that failed: nothing was opened', async () => {
    const outcome = await answer(
      call('StartSession', { target: instanceId(1) }, { errorCode: 'AccessDenied' }),
    );
    expect(outcome).toEqual({
      outcome: 'ignored',
      reason: 'StartSession failed (AccessDenied): nothing was opened',
    });
    expect(details.tagged).toEqual([]);
  });

  it('ignores a call on an instance outside the fleet', async () => {
    expect((await answer(call('StartSession', { target: instanceId(99) }))).outcome).toBe('ignored');
    expect(details.tagged).toEqual([]);
    expect(notifier.sent).toEqual([]);
  });

  it('fails on an event that is not an interactive-access call, changing nothing', async () => {
    await expect(
      answer({ ...call('StartSession', {}), detail: { eventName: 'TerminateSession' } }),
    ).rejects.toThrow(MalformedEvent);
    expect(details.tagged).toEqual([]);
  });
});
