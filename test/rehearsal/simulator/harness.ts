import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { FleetSimulator, type SimWorldSpec } from '../../../rehearsal/simulator';
import { world, type WorldOptions } from './fixtures';

const region = 'eu-west-1';

/** Real SDK clients, as the handlers create them at module scope. */
export const clients = {
  autoScaling: new AutoScalingClient({ region }),
  ec2: new EC2Client({ region }),
  elbv2: new ElasticLoadBalancingV2Client({ region }),
  cloudWatch: new CloudWatchClient({ region }),
  ssm: new SSMClient({ region }),
  dynamodb: new DynamoDBClient({ region }),
  sns: new SNSClient({ region }),
  imageBuilder: new ImagebuilderClient({ region }),
  events: new EventBridgeClient({ region }),
  sfn: new SFNClient({ region }),
};

/** A simulator with its mocks installed; call `uninstall` in afterEach. */
export function simulate(options: WorldOptions | SimWorldSpec = {}) {
  const spec = 'region' in options ? options : world(options);
  const sim = new FleetSimulator(spec);
  const uninstall = sim.install();
  return { sim, uninstall };
}

/** The rejection of a promise, for asserting on its name and fields. */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
