import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { ParameterType, SSMClient } from '@aws-sdk/client-ssm';
import type { ParameterKind, RuntimeParameters } from '../ledger/ports';

/**
 * How each kind of runtime parameter is stored. The released image has the data type
 * `aws:ec2:image`: Systems Manager checks that it names an AMI available in the account.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 */
const STORED_AS: Record<ParameterKind, { type: ParameterType; dataType?: string }> = {
  text: { type: 'String' },
  list: { type: 'StringList' },
  image: { type: 'String', dataType: 'aws:ec2:image' },
};

/**
 * How long to look for a validated `aws:ec2:image` value before calling the write failed: SSM
 * validates such a value asynchronously after PutParameter has answered, and stores the version
 * only if the AMI is one the caller can describe.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html
 */
const VALIDATION_WAITS_MS = [0, 500, 1000, 2000, 3000];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The runtime parameters in SSM Parameter Store. */
export class SsmRuntimeParameters implements RuntimeParameters {
  constructor(
    private readonly ssm: SSMClient,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  async get(name: string): Promise<string> {
    const out = await this.ssm.send(new GetParameterCommand({ Name: name }));
    const value = out.Parameter?.Value;
    if (value === undefined) throw new Error(`SSM parameter ${name} has no value`);
    return value;
  }

  async find(name: string): Promise<string | undefined> {
    try {
      return await this.get(name);
    } catch (e) {
      if (e instanceof Error && e.name === 'ParameterNotFound') return undefined;
      throw e;
    }
  }

  async put(name: string, value: string, kind: ParameterKind): Promise<void> {
    const { type, dataType } = STORED_AS[kind];
    const out = await this.ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: type,
        Overwrite: true,
        ...(dataType ? { DataType: dataType } : {}),
      }),
    );
    if (dataType) await this.validated(name, value, out.Version);
  }

  /** Wait until SSM has stored the version the write made, with this value; fail loudly if it never does. */
  private async validated(name: string, value: string, version: number | undefined): Promise<void> {
    const selector = version === undefined ? name : `${name}:${version}`;
    for (const ms of VALIDATION_WAITS_MS) {
      if (ms) await this.wait(ms);
      try {
        const out = await this.ssm.send(new GetParameterCommand({ Name: selector }));
        if (out.Parameter?.Value === value) return;
      } catch (e) {
        // Not stored yet (or never: validation failed).
        if (!(e instanceof Error && /^Parameter(Version)?NotFound$/.test(e.name))) throw e;
      }
    }
    throw new Error(
      `SSM did not store ${value} in ${name}${version === undefined ? '' : ` (version ${version})`}: an aws:ec2:image ` +
        "value must name an AMI available to this account, which SSM checks with the writer's ec2:DescribeImages",
    );
  }
}
