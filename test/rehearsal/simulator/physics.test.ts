import { StartInstanceRefreshCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2';
import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import fc from 'fast-check';
import { propertyRuns } from '../../support/properties';
import { FleetSimulator } from '../../../rehearsal/simulator';
import { BLUE_TG, GREEN_TG, LISTENER, LT_ID, NEW_AMI, world } from './fixtures';
import { clients, simulate } from './harness';

const BLUE = 'immutable-dev-blue';

async function refresh(min: number, max: number): Promise<void> {
  const version = await clients.ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: LT_ID,
      LaunchTemplateData: { ImageId: NEW_AMI },
    }),
  );
  await clients.autoScaling.send(
    new StartInstanceRefreshCommand({
      AutoScalingGroupName: BLUE,
      DesiredConfiguration: {
        LaunchTemplate: {
          LaunchTemplateId: LT_ID,
          Version: String(version.LaunchTemplateVersion?.VersionNumber),
        },
      },
      Preferences: { MinHealthyPercentage: min, MaxHealthyPercentage: max, AutoRollback: true },
    }),
  );
}

/** Physics events of a 2-hour run with a refresh of `instances` at min 90 % (10 batches whatever the size). */
async function eventsFor(instances: number): Promise<{ events: number; status?: string }> {
  const { sim, uninstall } = simulate({ instances, launchSeconds: 120, warmup: 60 });
  try {
    await refresh(90, 100);
    sim.advance(7200);
    return { events: sim.physicsEvents, status: sim.snapshot().refresh?.status };
  } finally {
    uninstall();
  }
}

describe('event-driven physics', () => {
  it('grows with batches, not with instances or simulated seconds', async () => {
    const small = await eventsFor(100);
    const large = await eventsFor(1000);
    expect(small.status).toBe('Successful');
    expect(large.status).toBe('Successful');
    // 120 metric minutes + about 4 events per batch; instances × seconds would be 7.2 million.
    expect(large.events).toBe(small.events);
    expect(large.events).toBeLessThan(200);
  });

  it('jumps over quiet time: an idle day costs one event per metric minute', () => {
    const sim = new FleetSimulator(world({ instances: 50 }));
    sim.advance(86_400);
    expect(sim.physicsEvents).toBe(1440);
  });
});

describe('serving capacity', () => {
  it('holds servingDesired at the baseline during a canary and flags serving with no capacity', async () => {
    const { sim, uninstall } = simulate({ instances: 4 });
    try {
      const shift = (blue: number, green: number) =>
        clients.elbv2.send(
          new ModifyListenerCommand({
            ListenerArn: LISTENER,
            DefaultActions: [
              {
                Type: 'forward',
                ForwardConfig: {
                  TargetGroups: [
                    { TargetGroupArn: BLUE_TG, Weight: blue },
                    { TargetGroupArn: GREEN_TG, Weight: green },
                  ],
                },
              },
            ],
          }),
        );
      await clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: 'immutable-dev-green',
          DesiredCapacity: 2,
        }),
      );
      await shift(95, 5);
      expect(sim.snapshot()).toMatchObject({ healthyServing: 4, servingDesired: 4 });
      sim.advance(120);
      expect(sim.snapshot()).toMatchObject({ healthyServing: 6, servingDesired: 4 });
      await shift(0, 100);
      await clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: BLUE, DesiredCapacity: 0 }),
      );
      expect(sim.snapshot()).toMatchObject({
        healthyServing: 2,
        servingDesired: 4,
        weights: { blue: 0, green: 100 },
      });
    } finally {
      uninstall();
    }
  });
});

describe('refresh invariants (property)', () => {
  it('every refresh replaces every instance within the healthy bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 100, max: 200 }),
        fc.integer({ min: 30, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        async (instances, min, wantedMax, launchSeconds, warmup) => {
          // AWS refuses a maximum more than 100 points above the minimum.
          const max = Math.min(wantedMax, min + 100);
          const { sim, uninstall } = simulate({ instances, launchSeconds, warmup });
          try {
            let lowest = Infinity;
            let highest = 0;
            sim.onStep((s) => {
              if (s.refresh?.status !== 'InProgress') return;
              lowest = Math.min(lowest, s.groups.blue.healthy);
              highest = Math.max(highest, s.groups.blue.inService + s.groups.blue.pending);
            });
            await refresh(min, max);
            sim.advance(instances * (launchSeconds + warmup) + 3600);
            const s = sim.snapshot();
            expect(s.refresh?.status).toBe('Successful');
            expect(s.groups.blue).toMatchObject({ healthy: instances, imageIds: { [NEW_AMI]: instances } });
            const minCount = Math.ceil((instances * min) / 100);
            // Terminate-first replaces at least one instance even at 100 %; launch-first never dips.
            const floor = max > 100 ? minCount : Math.min(minCount, instances - 1);
            if (lowest !== Infinity) expect(lowest).toBeGreaterThanOrEqual(floor);
            expect(highest).toBeLessThanOrEqual(Math.max(instances, Math.ceil((instances * max) / 100)));
          } finally {
            uninstall();
          }
        },
      ),
      propertyRuns(200),
    );
  });
});
