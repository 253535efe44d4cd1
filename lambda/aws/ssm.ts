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

/** The runtime parameters in SSM Parameter Store. */
export class SsmRuntimeParameters implements RuntimeParameters {
  constructor(private readonly ssm: SSMClient) {}

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
    await this.ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: type,
        Overwrite: true,
        ...(dataType ? { DataType: dataType } : {}),
      }),
    );
  }
}
