import { CfnParameter, Fn, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { runtimeParameters } from '../../../lambda/shared/names';
import type { Colour } from '../../../lambda/shared/colours';
import type { EnvironmentName } from '../../../lambda/shared/environments';

/**
 * CloudFormation parameter types that make CloudFormation read a Systems Manager parameter at
 * each deploy. UsePreviousValue keeps the parameter *name*; the value is always fetched fresh.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html
 */
export const SSM_PARAMETER_TYPES = {
  imageId: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
  string: 'AWS::SSM::Parameter::Value<String>',
  stringList: 'AWS::SSM::Parameter::Value<List<String>>',
} as const;

/** Logical ids of the stack parameters; operators see them on the stack's Parameters tab. */
export const RUNTIME_PARAMETER_IDS = {
  releasedImage: 'FleetReleasedImageId',
  launchTemplateVersion: { blue: 'FleetBlueLaunchTemplateVersion', green: 'FleetGreenLaunchTemplateVersion' },
  listenerWeights: 'FleetListenerWeights',
} as const satisfies {
  releasedImage: string;
  launchTemplateVersion: Record<Colour, string>;
  listenerWeights: string;
};

export interface RuntimeParametersProps {
  readonly environment: EnvironmentName;
}

/**
 * The runtime state the fleet's template needs, as deploy-time references to the SSM parameters
 * the rollout workflow keeps current. Nothing here is a literal: a deploy re-sends whatever the
 * workflow last recorded, so it never resets a rollout.
 */
export class RuntimeParameters extends Construct {
  /** The released AMI id (a concrete `ami-...` once CloudFormation resolves it). */
  readonly releasedImageId: string;
  /** The explicit launch-template version number each colour's group runs. */
  readonly launchTemplateVersion: Readonly<Record<Colour, string>>;
  /** Each colour's listener weight: element 0 (blue) or 1 (green) of "<blue>,<green>". */
  readonly listenerWeight: Readonly<Record<Colour, number>>;
  /** The SSM parameter names behind the values above. */
  readonly names: ReturnType<typeof runtimeParameters>;

  constructor(scope: Construct, id: string, props: RuntimeParametersProps) {
    super(scope, id);
    const names = runtimeParameters(props.environment);
    this.names = names;
    const owned = 'Runtime-owned: resolved from SSM at deploy time and kept current by the rollout workflow.';

    const image = this.parameter(RUNTIME_PARAMETER_IDS.releasedImage, {
      type: SSM_PARAMETER_TYPES.imageId,
      default: names.releasedImage,
      description: `${owned} Released AMI of the launch template definition.`,
    });
    this.releasedImageId = image.valueAsString;

    const version = (colour: Colour) =>
      this.parameter(RUNTIME_PARAMETER_IDS.launchTemplateVersion[colour], {
        type: SSM_PARAMETER_TYPES.string,
        default: names.launchTemplateVersion(colour),
        // CloudFormation validates an SSM-typed parameter's name, never its value, so the
        // explicit-number rule is enforced where the value is written (workflow, seed).
        description: `${owned} Explicit launch-template version number of the ${colour} group.`,
      }).valueAsString;
    this.launchTemplateVersion = { blue: version('blue'), green: version('green') };

    const weights = this.parameter(RUNTIME_PARAMETER_IDS.listenerWeights, {
      type: SSM_PARAMETER_TYPES.stringList,
      default: names.listenerWeights,
      description: `${owned} Listener weights "<blue>,<green>".`,
    }).valueAsList;
    this.listenerWeight = {
      blue: Token.asNumber(Fn.select(0, weights)),
      green: Token.asNumber(Fn.select(1, weights)),
    };
  }

  private parameter(logicalId: string, props: ConstructorParameters<typeof CfnParameter>[2]): CfnParameter {
    const parameter = new CfnParameter(this, logicalId, props);
    // Readable, stable ids: operators look these up on the stack's Parameters tab.
    parameter.overrideLogicalId(logicalId);
    return parameter;
  }
}
