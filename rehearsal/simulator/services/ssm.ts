import type {
  GetParameterCommandInput,
  GetParameterCommandOutput,
  PutParameterCommandInput,
  PutParameterCommandOutput,
} from '@aws-sdk/client-ssm';
import { awsError, SimulatorUnsupportedError } from '../errors';
import type { Place } from '../place';
import type { SimWorldSpec } from '../types';

type Out<T> = Omit<T, '$metadata'>;

export interface ParameterVersion {
  readonly version: number;
  readonly value: string;
  readonly type: 'String' | 'StringList' | 'SecureString';
  readonly dataType: string;
  readonly at: Date;
}

const invalid = (message: string) => awsError('ssm', 'ValidationException', message);

/**
 * SSM Parameter Store: String and StringList parameters, every version kept (`name:version` reads one).
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
 */
export class SsmService {
  readonly parameters = new Map<string, ParameterVersion[]>();

  constructor(private readonly place: Place) {}

  /** Parameters that exist before the simulation starts (written an hour before it). */
  seed(parameters: SimWorldSpec['parameters']): void {
    for (const p of parameters) {
      this.parameters.set(p.name, [
        {
          version: 1,
          value: p.value,
          type: p.type,
          dataType: p.dataType ?? 'text',
          at: this.place.dateAt(-3600),
        },
      ]);
    }
  }

  /** `name:version` selects a version. */
  getParameter(input: GetParameterCommandInput): Out<GetParameterCommandOutput> {
    const [name, selector] = this.split(input.Name);
    const versions = this.versions(name);
    let chosen = versions[versions.length - 1] as ParameterVersion;
    if (selector !== undefined) {
      if (!/^\d+$/.test(selector))
        throw new SimulatorUnsupportedError(`GetParameter label selector ${selector} is not simulated`);
      const found = versions.find((v) => v.version === Number(selector));
      if (!found)
        throw awsError(
          'ssm',
          'ParameterVersionNotFound',
          `Systems Manager could not find version ${selector} of ${name}.`,
        );
      chosen = found;
    }
    return { Parameter: this.describe(name, chosen, input.Name as string) };
  }

  /**
   * Overwrite is false by default: an existing name fails with ParameterAlreadyExists; Overwrite
   * with Tags is refused (ValidationException), new parameter or not. Names with
   * a slash must start with one; values are at most 4 KB (standard tier). For the
   * `aws:ec2:image` data type AWS checks the AMI after answering: the call succeeds but a value
   * that is not an existing AMI is never stored.
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html
   */
  putParameter(input: PutParameterCommandInput): Out<PutParameterCommandOutput> {
    const name = input.Name;
    if (!name)
      throw invalid(
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
      );
    if (input.Value === undefined)
      throw invalid(
        "1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null",
      );
    if (name.length > 2048)
      throw invalid(`Parameter name must be at most 2048 characters, got ${name.length}.`);
    if (!/^[a-zA-Z0-9_.\-/]+$/.test(name))
      throw invalid(
        `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive) and may contain only a-zA-Z0-9_.-/, got ${name}.`,
      );
    if (name.includes('/') && !name.startsWith('/'))
      throw invalid(`Parameter name must be a fully qualified name starting with '/', got ${name}.`);
    if (/^\/?(aws|ssm)/i.test(name)) throw invalid(`No access to reserved parameter name: ${name}.`);
    if (Buffer.byteLength(input.Value) > 4096)
      throw invalid(`Standard tier parameters support a maximum parameter value of 4096 characters.`);
    if (input.Value.length === 0) throw invalid('Parameter value must not be empty.');
    if (input.Tier !== undefined && input.Tier !== 'Standard')
      throw new SimulatorUnsupportedError(`PutParameter Tier ${input.Tier} is not simulated`);
    if (input.Type === 'SecureString')
      throw new SimulatorUnsupportedError('SecureString parameters are not simulated');
    // AWS refuses the pair whether or not the parameter exists; its tags change through
    // AddTagsToResource instead. The message is the service's own (not in the API reference).
    // @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html (Tags)
    if (input.Overwrite && input.Tags?.length)
      throw invalid(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    const existing = this.parameters.get(name);
    if (existing && !input.Overwrite)
      throw awsError(
        'ssm',
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    const last = existing?.[existing.length - 1];
    const type = input.Type ?? last?.type ?? 'String';
    const dataType = input.DataType ?? last?.dataType ?? 'text';
    if (!['text', 'aws:ec2:image'].includes(dataType))
      throw new SimulatorUnsupportedError(`PutParameter DataType ${dataType} is not simulated`);
    if (dataType === 'aws:ec2:image' && !/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(input.Value))
      throw invalid(
        `Parameter value, ${input.Value}, is not a valid AMI ID for the aws:ec2:image data type.`,
      );
    const version = (last?.version ?? 0) + 1;
    // The account must be able to launch the AMI (its own, or shared with it).
    const image = dataType === 'aws:ec2:image' ? this.place.catalog.get(input.Value) : undefined;
    if (
      dataType === 'aws:ec2:image' &&
      !(image?.exists && this.place.catalog.launchableBy(image, this.place.accountId))
    ) {
      return { Version: version, Tier: 'Standard' };
    }
    const record: ParameterVersion = { version, value: input.Value, type, dataType, at: this.place.now() };
    if (existing) existing.push(record);
    else this.parameters.set(name, [record]);
    return { Version: version, Tier: 'Standard' };
  }

  private split(raw: string | undefined): [string, string | undefined] {
    if (!raw)
      throw invalid(
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
      );
    const colon = raw.lastIndexOf(':');
    if (raw.startsWith('arn:'))
      throw new SimulatorUnsupportedError('Parameter ARNs are not simulated; use the name');
    return colon > 0 ? [raw.slice(0, colon), raw.slice(colon + 1)] : [raw, undefined];
  }

  private versions(name: string): ParameterVersion[] {
    const versions = this.parameters.get(name);
    if (!versions) throw awsError('ssm', 'ParameterNotFound', `Parameter ${name} not found.`);
    return versions;
  }

  private describe(name: string, v: ParameterVersion, selector: string) {
    const { region, accountId } = this.place;
    return {
      Name: name,
      Type: v.type,
      Value: v.value,
      Version: v.version,
      LastModifiedDate: v.at,
      ARN: `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      DataType: v.dataType,
      ...(selector !== name ? { Selector: selector.slice(name.length) } : {}),
    };
  }
}
