import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Colour, ColourMap } from '../shared/colours';
import type { WorkflowSettings } from '../shared/settings';
import type { FleetRecord } from '../shared/documents';

/**
 * The SSM parameters the fleet's template resolves at deploy time. The workflow keeps them
 * equal to the fleet record, so a `cdk deploy` re-asserts the runtime state instead of
 * resetting it. Writes skip unchanged values: each parameter's history is then exactly the
 * history of real changes (for the released image, the release history).
 */
export class RuntimeParameters {
  constructor(
    private readonly ssm: SSMClient,
    private readonly names: WorkflowSettings['parameters'],
  ) {}

  /** Build a first fleet record from the seeded parameters (an environment's first rollout). */
  async bootstrapRecord(): Promise<FleetRecord> {
    const [image, weights, blue, green] = await Promise.all([
      this.read(this.names.releasedImage),
      this.read(this.names.listenerWeights),
      this.read(this.names.launchTemplateVersions.blue),
      this.read(this.names.launchTemplateVersions.green),
    ]);
    const [blueWeight = 100, greenWeight = 0] = weights.split(',').map((w) => Number(w.trim()));
    return {
      liveColour: greenWeight > blueWeight ? 'green' : 'blue',
      releasedImage: image,
      versions: { blue, green },
      generation: 0,
    };
  }

  /** Make the parameters describe `record`: released image, weights, versions. */
  async publish(record: FleetRecord): Promise<string[]> {
    const weights: ColourMap<number> =
      record.liveColour === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
    const wanted: Array<[string, string, 'String' | 'StringList', string?]> = [
      [this.names.releasedImage, record.releasedImage, 'String', 'aws:ec2:image'],
      [this.names.listenerWeights, `${weights.blue},${weights.green}`, 'StringList'],
      ...(['blue', 'green'] as Colour[]).map(
        (c) =>
          [this.names.launchTemplateVersions[c], record.versions[c], 'String'] as [string, string, 'String'],
      ),
    ];
    const written: string[] = [];
    for (const [name, value, type, dataType] of wanted) {
      if ((await this.readIfPresent(name)) === value) continue;
      await this.ssm.send(
        new PutParameterCommand({
          Name: name,
          Value: value,
          Type: type,
          Overwrite: true,
          ...(dataType ? { DataType: dataType } : {}),
        }),
      );
      written.push(name);
    }
    return written;
  }

  private async readIfPresent(name: string): Promise<string | undefined> {
    try {
      return await this.read(name);
    } catch (e) {
      if (e instanceof Error && e.name === 'ParameterNotFound') return undefined;
      throw e;
    }
  }

  private async read(name: string): Promise<string> {
    const out = await this.ssm.send(new GetParameterCommand({ Name: name }));
    const value = out.Parameter?.Value;
    if (value === undefined) throw new Error(`SSM parameter ${name} has no value`);
    return value;
  }
}
