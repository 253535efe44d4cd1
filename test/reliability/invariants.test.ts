import { checkRun, initialWorld, ledgerOf } from './invariants';
import type { InvariantName } from './invariants';
import type { RehearsalRun } from '../../rehearsal/runner';
import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';
import { canary, NEW, scenario } from '../rehearsal/support';

/**
 * The invariant checker on runs that keep every invariant, then on the same runs with the world
 * or the record of the run broken in one place: each check must name what broke.
 */
let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
});

const dev = () => session.rehearsal('dev');
const settings = () => dev().settings;
const released = async () => dev().run(scenario({ input: canary(NEW) }));
const rotated = async () =>
  dev().run(scenario({ fleet: { instances: 6, ageDays: 10 }, input: { action: 'phoenix' } }));

function violations(run: RehearsalRun, invariant?: InvariantName): string[] {
  return checkRun(run, settings(), initialWorld(run.scenario, settings()))
    .filter((v) => !invariant || v.invariant === invariant)
    .map((v) => v.message);
}

const listener = (run: RehearsalRun, blue: number, green: number) =>
  run.simulator.elbv2.modifyListener({
    ListenerArn: settings().listenerArn,
    DefaultActions: [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: settings().targetGroups.blue, Weight: blue },
            { TargetGroupArn: settings().targetGroups.green, Weight: green },
          ],
        },
      },
    ],
  });

describe('runs that keep every invariant', () => {
  it.each([
    ['a canary promoted', released],
    ['a rotation', rotated],
    [
      'a regressed canary rolled back',
      () => dev().run(scenario({ input: { action: 'canary', imageId: 'ami-0d4d4d4d4d4d4d4d4' } })),
    ],
  ])('%s', async (_, rehearse) => {
    expect(violations(await rehearse())).toEqual([]);
  });
});

describe('capacity', () => {
  it('fails when a step has fewer healthy serving instances than the minimum healthy share', async () => {
    const run = await rotated();
    const step = run.samples[3];
    if (!step) throw new Error('the rotation took fewer than 4 steps');
    run.samples.push({ ...step, healthyServing: 2, servingDesired: 6 });
    expect(violations(run, 'capacity')).toEqual([
      expect.stringContaining('2 healthy serving instances of 6 desired, below the minimum healthy 50 %'),
    ]);
  });

  it('fails when a step sends traffic to a colour without a healthy target', async () => {
    const run = await rotated();
    const step = run.samples[0];
    if (!step) throw new Error('the rotation has no steps');
    run.samples.push({ ...step, weights: { blue: 90, green: 10 } });
    expect(violations(run, 'capacity')).toEqual([
      expect.stringContaining('10 % of the traffic goes to green, which has no healthy target'),
    ]);
  });
});

describe('traffic', () => {
  it('fails when the weights are not all on the live colour at the end', async () => {
    const run = await released();
    listener(run, 50, 50);
    expect(violations(run, 'traffic')).toEqual(
      expect.arrayContaining([
        expect.stringContaining('the weights are 50/50 at the end, not all on the live colour green'),
      ]),
    );
  });

  it('fails when an SSM parameter disagrees with the fleet record', async () => {
    const run = await released();
    run.simulator.ssm.putParameter({
      Name: settings().parameters.releasedImage,
      Value: 'ami-0a1a1a1a1a1a1a1a1',
      Type: 'String',
      Overwrite: true,
    });
    expect(violations(run, 'traffic')).toEqual([
      `SSM ${settings().parameters.releasedImage} is ami-0a1a1a1a1a1a1a1a1, the fleet record ${NEW}`,
    ]);
  });

  it("fails when the ledger's last successful release is not the released image", async () => {
    const run = await released();
    const [entry] = ledgerOf(run.simulator, settings());
    run.simulator.dynamodb.updateItem({
      TableName: settings().table,
      Key: { pk: { S: 'rollout' }, sk: { S: `${entry?.startedAt ?? ''}#rehearsal-main` } },
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'ABANDONED' } },
    });
    expect(violations(run, 'traffic')).toEqual([
      `the ledger's last successful release is ami-0a1a1a1a1a1a1a1a1, the fleet record ${NEW}`,
    ]);
  });

  it('fails when traffic is left on the image of a failed rollout', async () => {
    const run = await dev().run(scenario({ input: { action: 'canary', imageId: 'ami-0d4d4d4d4d4d4d4d4' } }));
    run.simulator.autoScaling.updateAutoScalingGroup({
      AutoScalingGroupName: settings().groups.green,
      MinSize: 0,
      MaxSize: 6,
      DesiredCapacity: 4,
    });
    listener(run, 50, 50);
    run.simulator.advance(600);
    expect(violations(run, 'traffic')).toEqual(
      expect.arrayContaining([
        '50 % of the traffic is still on ami-0d4d4d4d4d4d4d4d4, whose canary rollout failed',
        expect.stringContaining('the idle colour green is not at rest at the end'),
      ]),
    );
  });
});

describe('a dry run', () => {
  const dry = async () => dev().run(scenario({ input: { ...canary(NEW), dryRun: true } }));

  it('keeps every invariant when it changes nothing', async () => {
    expect(violations(await dry())).toEqual([]);
  });

  it('fails when it moves the weights or resizes a group', async () => {
    const run = await dry();
    listener(run, 90, 10);
    run.simulator.autoScaling.updateAutoScalingGroup({
      AutoScalingGroupName: settings().groups.green,
      MinSize: 0,
      MaxSize: 6,
      DesiredCapacity: 2,
    });
    expect(violations(run, 'traffic')).toEqual([
      'a dry run moved the weights from 100/0 to 90/10',
      'a dry run resized green from 0/0 to 0/2 (min/desired)',
    ]);
  });
});

describe('outcome', () => {
  it('fails when an execution ends neither SUCCEEDED nor FAILED', async () => {
    const run = await released();
    run.result = { ...run.result, status: 'TIMED_OUT', error: 'States.Timeout' };
    expect(violations(run, 'outcome')).toEqual(['the main execution ended TIMED_OUT (States.Timeout)']);
  });

  it('fails when an execution fails with an error that is not one of the named errors', async () => {
    const run = await released();
    run.result = { ...run.result, status: 'FAILED', error: 'Lambda.ServiceException' };
    expect(violations(run, 'outcome')).toEqual([
      'the main execution failed with Lambda.ServiceException, not one of the named errors',
    ]);
  });

  it('fails when the lock is still held at the end', async () => {
    const run = await released();
    run.simulator.dynamodb.putItem({
      TableName: settings().table,
      Item: {
        pk: { S: 'fleet' },
        sk: { S: 'lock' },
        owner: { S: run.executions.main },
        expiresAt: { N: '1' },
      },
    });
    expect(violations(run, 'outcome')).toEqual([
      `the lock is still held by ${run.executions.main} at the end`,
    ]);
  });

  it('fails when an execution plans before traffic is back on the live colour', async () => {
    const run = await released();
    const planned = run.timeline.find((e) => e.state === 'Plan Rollout');
    if (!planned) throw new Error('the canary never planned');
    planned.snapshot = { ...planned.snapshot, weights: { blue: 80, green: 20 } };
    expect(violations(run, 'outcome')).toEqual([
      'the main execution planned with weights 80/20, not all on the live colour blue',
    ]);
  });
});

describe('ledger', () => {
  it('fails when an execution that took the lock has no ledger entry', async () => {
    const run = await rotated();
    const [entry] = ledgerOf(run.simulator, settings());
    run.simulator.dynamodb.deleteItem({
      TableName: settings().table,
      Key: { pk: { S: 'rollout' }, sk: { S: `${entry?.startedAt ?? ''}#rehearsal-main` } },
    });
    expect(violations(run, 'ledger')).toEqual([
      'the main execution got past locking and has 0 ledger entries',
    ]);
  });

  it('fails when an execution ended without a notification', async () => {
    const run = await rotated();
    run.notifications = [];
    expect(violations(run, 'ledger')).toEqual(['the main execution ended SUCCEEDED without a notification']);
  });
});
