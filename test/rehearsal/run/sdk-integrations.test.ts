import {
  canRunSdkIntegration,
  isSdkIntegration,
  runSdkIntegration,
} from '../../../rehearsal/run/sdk-integrations';
import type { FleetSimulator } from '../../../rehearsal/simulator';
import { BLUE_TG, GREEN_TG, LISTENER } from '../simulator/fixtures';
import { simulate } from '../simulator/harness';

const MODIFY_LISTENER = 'arn:aws:states:::aws-sdk:elasticloadbalancingv2:modifyListener';
const UPDATE_GROUP = 'arn:aws:states:::aws-sdk:autoscaling:updateAutoScalingGroup';

let sim: FleetSimulator;
let uninstall: () => void;
beforeEach(() => ({ sim, uninstall } = simulate({ instances: 4, greenWeight: 50, blueWeight: 50 })));
afterEach(() => uninstall());

const allOnBlue = {
  ListenerArn: LISTENER,
  DefaultActions: [
    {
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: BLUE_TG, Weight: 100 },
          { TargetGroupArn: GREEN_TG, Weight: 0 },
        ],
      },
    },
  ],
};

describe('AWS SDK integrations in the rehearsal', () => {
  it('recognizes the integrations it runs, and no others', () => {
    expect(isSdkIntegration(MODIFY_LISTENER)).toBe(true);
    expect(canRunSdkIntegration(MODIFY_LISTENER)).toBe(true);
    expect(canRunSdkIntegration(UPDATE_GROUP)).toBe(true);
    expect(canRunSdkIntegration('arn:aws:states:::aws-sdk:elasticloadbalancingv2:deleteListener')).toBe(
      false,
    );
    expect(canRunSdkIntegration('arn:aws:states:::aws-sdk:dynamodb:putItem')).toBe(false);
    expect(isSdkIntegration('arn:aws:states:::sns:publish')).toBe(false);
  });

  it('sends the command to the simulated account and answers its output without metadata', async () => {
    const out = (await runSdkIntegration(MODIFY_LISTENER, allOnBlue, sim.clients())) as Record<
      string,
      unknown
    >;
    expect(out).not.toHaveProperty('$metadata');
    expect(out.Listeners).toHaveLength(1);
    expect(sim.snapshot().weights).toEqual({ blue: 100, green: 0 });
    expect(sim.apiCalls.ModifyListener).toBe(1);
    await runSdkIntegration(
      UPDATE_GROUP,
      { AutoScalingGroupName: 'immutable-dev-blue', MinSize: 0, DesiredCapacity: 1 },
      sim.clients(),
    );
    expect(sim.snapshot().groups.blue.desired).toBe(1);
  });

  it("names a failure as Step Functions does: the service, then the error with 'Exception'", async () => {
    sim.throttleNext(1);
    await expect(runSdkIntegration(MODIFY_LISTENER, allOnBlue, sim.clients())).rejects.toMatchObject({
      name: 'ElasticLoadBalancingV2.ThrottlingException',
      message: 'Rate exceeded',
    });
    await expect(
      runSdkIntegration(MODIFY_LISTENER, { ...allOnBlue, ListenerArn: `${LISTENER}0` }, sim.clients()),
    ).rejects.toMatchObject({ name: 'ElasticLoadBalancingV2.ListenerNotFoundException' });
    await expect(
      runSdkIntegration(
        UPDATE_GROUP,
        { AutoScalingGroupName: 'immutable-dev-blue', MinSize: 5, MaxSize: 1 },
        sim.clients(),
      ),
    ).rejects.toMatchObject({ name: 'AutoScaling.ValidationErrorException' });
  });
});
