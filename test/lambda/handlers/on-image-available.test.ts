import type {
  GetImageCommand as GetImage,
  ListImageScanFindingAggregationsCommand as ListFindings,
} from '@aws-sdk/client-imagebuilder';
import type { StartExecutionCommand as StartExecution } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsStub } from 'aws-sdk-client-mock';
import { IMAGE_ARN, imageStateChange } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import type * as OnImageAvailable from '../../../lambda/handlers/on-image-available';

const ROLLOUT = 'arn:aws:states:us-west-2:111122223333:stateMachine:immutable-dev-rollout';
const ENV = { STATE_MACHINE_ARN: ROLLOUT, AWS_REGION: 'us-west-2', SCAN_FAIL_ON_SEVERITY: 'CRITICAL' };
const AMI = 'ami-0123456789abcdef0';

interface ColdStart {
  handler: (event: unknown) => Promise<{ started: boolean }>;
  imagebuilder: AwsStub<any, any, any>;
  sfn: AwsStub<any, any, any>;
  commands: {
    GetImage: typeof GetImage;
    ListFindings: typeof ListFindings;
    StartExecution: typeof StartExecution;
  };
}

/**
 * Load the handler module fresh with `env`, as a Lambda cold start does. The module registry
 * is isolated, so the SDK clients it creates are mocked from inside that registry.
 */
async function coldStart(env: Record<string, string | undefined>): Promise<ColdStart> {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    let loaded: ColdStart | undefined;
    await jest.isolateModulesAsync(async () => {
      const ib = await import('@aws-sdk/client-imagebuilder');
      const sf = await import('@aws-sdk/client-sfn');
      const imagebuilder = mockClient(ib.ImagebuilderClient);
      const sfn = mockClient(sf.SFNClient);
      imagebuilder.on(ib.GetImageCommand).resolves({
        image: { outputResources: { amis: [{ region: 'us-west-2', image: AMI }] } },
      });
      imagebuilder.on(ib.ListImageScanFindingAggregationsCommand).resolves({
        responses: [{ imageAggregation: { severityCounts: { all: 5, critical: 0, high: 3, medium: 2 } } }],
      });
      sfn.on(sf.StartExecutionCommand).resolves({ executionArn: `${ROLLOUT}:image-1` });
      const { handler } = jest.requireActual<typeof OnImageAvailable>(
        '../../../lambda/handlers/on-image-available',
      );
      loaded = {
        handler,
        imagebuilder,
        sfn,
        commands: {
          GetImage: ib.GetImageCommand,
          ListFindings: ib.ListImageScanFindingAggregationsCommand,
          StartExecution: sf.StartExecutionCommand,
        },
      };
    });
    return loaded as ColdStart;
  } finally {
    process.env = saved;
  }
}

describe('on-image-available handler', () => {
  it('starts the state machine STATE_MACHINE_ARN names with the AMI of AWS_REGION, past the SCAN_FAIL_ON_SEVERITY gate', async () => {
    const { handler, imagebuilder, sfn, commands } = await coldStart(ENV);
    expect(await handler(imageStateChange())).toEqual({
      started: true,
      imageId: AMI,
      executionArn: `${ROLLOUT}:image-1`,
    });
    expect(inputsOf(imagebuilder, commands.GetImage)).toEqual([{ imageBuildVersionArn: IMAGE_ARN }]);
    expect(inputsOf(imagebuilder, commands.ListFindings)).toHaveLength(1);
    expect(inputsOf(sfn, commands.StartExecution)).toEqual([
      expect.objectContaining({ stateMachineArn: ROLLOUT, input: expect.stringContaining(AMI) as unknown }),
    ]);
  });

  it('fails at cold start, naming the variable and the accepted values, on an unknown SCAN_FAIL_ON_SEVERITY', async () => {
    // Cast instead of checked, "SEVERE" counted no findings at all: every image passed the gate.
    await expect(coldStart({ ...ENV, SCAN_FAIL_ON_SEVERITY: 'SEVERE' })).rejects.toThrow(
      'environment variable SCAN_FAIL_ON_SEVERITY is "SEVERE", not one of LOW, MEDIUM, HIGH, CRITICAL',
    );
  });
});
