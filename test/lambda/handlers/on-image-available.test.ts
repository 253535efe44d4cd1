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

describe('on-image-available handler reads its environment at cold start', () => {
  it.each(Object.keys(ENV))('fails loudly, naming it, when %s is missing', async (name) => {
    await expect(coldStart({ ...ENV, [name]: undefined })).rejects.toThrow(
      `environment variable ${name} is not set; the function was deployed without it`,
    );
  });

  it('starts the state machine named by STATE_MACHINE_ARN, picking the AMI of AWS_REGION', async () => {
    const { handler, sfn, commands } = await coldStart(ENV);
    expect(await handler(imageStateChange())).toEqual({
      started: true,
      imageId: AMI,
      executionArn: `${ROLLOUT}:image-1`,
    });
    expect(inputsOf(sfn, commands.StartExecution)[0]?.stateMachineArn).toBe(ROLLOUT);
  });

  it('applies the scan gate SCAN_FAIL_ON_SEVERITY names', async () => {
    const { handler, sfn } = await coldStart({ ...ENV, SCAN_FAIL_ON_SEVERITY: 'HIGH' });
    expect(await handler(imageStateChange())).toEqual({
      started: false,
      reason: `${IMAGE_ARN} (${AMI}) has 3 findings at or above HIGH; not rolled out`,
    });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('refuses an image without an AMI in its region', async () => {
    const { handler } = await coldStart({ ...ENV, AWS_REGION: 'eu-central-1' });
    expect(await handler(imageStateChange())).toMatchObject({ started: false });
  });

  it('lets an AWS error through with its name, so EventBridge retries the event', async () => {
    const { handler, imagebuilder, commands } = await coldStart(ENV);
    imagebuilder
      .on(commands.GetImage)
      .rejects(Object.assign(new Error('slow'), { name: 'ThrottlingException' }));
    await expect(handler(imageStateChange())).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});
