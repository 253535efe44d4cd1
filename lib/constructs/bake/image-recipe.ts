import { CfnComponent, CfnImageRecipe } from 'aws-cdk-lib/aws-imagebuilder';
import { Construct } from 'constructs';
import type { BakeAppProps, ParentImageSource } from './bake-pipeline-props';
import { awsManagedComponentArn, readComponentDocument } from './component-documents';
import type { ComponentDocumentName } from './component-documents';
import { contentAddressedName } from './content-name';

/** Properties of {@link BakeRecipe}. */
export interface BakeRecipeProps {
  /** Base of every name (e.g. `immutable-web`); a content fingerprint is appended. */
  readonly namePrefix: string;
  /** Semantic version of the recipe. */
  readonly recipeVersion: string;
  /** Parent image, resolved by Image Builder at build time. */
  readonly parentImage: ParentImageSource;
  /** Size of the encrypted gp3 root volume, GiB. */
  readonly rootVolumeGiB: number;
  /** The application to install, with the port and health path its test checks. */
  readonly app: BakeAppProps;
}

/** Component versions never need bumping: a changed document gets a new (fingerprinted) name. */
const COMPONENT_VERSION = '1.0.0';

/**
 * AWS-managed test that reboots the test instance and checks it comes back; `verify` runs after
 * it, so the service is proven to start at boot, as it must on every fleet instance.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-managed-components.html
 */
const REBOOT_TEST = 'reboot-test-linux';

interface RecipeEntry {
  /** Stable identity used in the recipe fingerprint (never a token). */
  readonly identity: string;
  readonly arn: string;
  readonly parameters?: CfnImageRecipe.ComponentParameterProperty[];
}

/**
 * The recipe and the product's own components: hardening, app install, CloudWatch agent, boot
 * test, verify.
 * Names are content-addressed (see content-name.ts), so any change creates new immutable
 * resources instead of colliding with the ones in place.
 */
export class BakeRecipe extends Construct {
  /** ARN of the recipe version. */
  readonly recipeArn: string;
  /** Recipe name, `<namePrefix>_<fingerprint>`. */
  readonly recipeName: string;
  /** Recipe semantic version. */
  readonly recipeVersion: string;
  /** The product's components by document name. */
  readonly components: Readonly<Record<ComponentDocumentName, CfnComponent>>;

  constructor(scope: Construct, id: string, props: BakeRecipeProps) {
    super(scope, id);
    this.components = {
      hardening: this.component(
        'Hardening',
        props.namePrefix,
        'hardening',
        'OS updates, SSH off, no authorized keys',
      ),
      'app-install': this.component(
        'AppInstall',
        props.namePrefix,
        'app-install',
        'Application release and systemd unit',
      ),
      'cloudwatch-agent': this.component(
        'CloudWatchAgent',
        props.namePrefix,
        'cloudwatch-agent',
        'CloudWatch agent and rsyslog, enabled at boot; each environment configures the agent',
      ),
      verify: this.component(
        'Verify',
        props.namePrefix,
        'verify',
        'Service at boot, health path, SSH off, IMDSv2',
      ),
    };

    const service = [
      { name: 'ServiceName', value: [props.app.serviceName] },
      { name: 'Port', value: [String(props.app.port)] },
      { name: 'HealthPath', value: [props.app.healthCheckPath] },
    ];
    const entries: RecipeEntry[] = [
      this.entry(this.components.hardening),
      this.entry(this.components['app-install'], [
        { name: 'AppName', value: [props.app.name] },
        { name: 'AppVersion', value: [props.app.version] },
        { name: 'ArtifactUri', value: [props.app.artifactUri ?? 'none'] },
        ...service,
      ]),
      // One image serves every environment: the agent is installed and enabled here, and each
      // environment's launch template configures it at boot (lib/constructs/fleet/instance-telemetry.ts).
      // Before the reboot test: its test phase runs on the fresh test instance.
      this.entry(this.components['cloudwatch-agent'], [{ name: 'AppName', value: [props.app.name] }]),
      { identity: `aws/${REBOOT_TEST}/x.x.x`, arn: awsManagedComponentArn(this, REBOOT_TEST) },
      this.entry(this.components.verify, service),
    ];

    const definition = {
      parentImage: parentImageReference(props.parentImage),
      description: `Golden image of ${props.app.name}: AL2023 hardened, service on port ${props.app.port}`,
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            encrypted: true,
            volumeType: 'gp3',
            volumeSize: props.rootVolumeGiB,
            deleteOnTermination: true,
          },
        },
      ],
      // Keep the SSM agent: Image Builder drives builds through it and Session Manager needs it.
      additionalInstanceConfiguration: { systemsManagerAgent: { uninstallAfterBuild: false } },
    };
    // The version is left out: bumping it alone gives a new version of the same recipe name.
    this.recipeName = contentAddressedName(props.namePrefix, {
      ...definition,
      components: entries.map(({ identity, parameters }) => ({ identity, parameters })),
    });
    this.recipeVersion = props.recipeVersion;

    const recipe = new CfnImageRecipe(this, 'Recipe', {
      name: this.recipeName,
      version: props.recipeVersion,
      ...definition,
      components: entries.map(({ arn, parameters }) => ({ componentArn: arn, parameters })),
    });
    this.recipeArn = recipe.attrArn;
  }

  private component(
    id: string,
    prefix: string,
    document: ComponentDocumentName,
    description: string,
  ): CfnComponent {
    const definition = { platform: 'Linux', description, data: readComponentDocument(document) };
    return new CfnComponent(this, id, {
      name: contentAddressedName(`${prefix}-${document}`, { ...definition, version: COMPONENT_VERSION }),
      version: COMPONENT_VERSION,
      ...definition,
    });
  }

  private entry(
    component: CfnComponent,
    parameters?: CfnImageRecipe.ComponentParameterProperty[],
  ): RecipeEntry {
    return { identity: `${component.name}/${component.version}`, arn: component.attrArn, parameters };
  }
}

/**
 * `ssm:<name>` lets Image Builder read the parameter at each build, so the recipe stays the same
 * while the parameter moves to newer AMIs (a CloudFormation SSM parameter type would resolve at
 * deploy time and force a new recipe whenever the AMI changes).
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateImageRecipe.html
 */
export function parentImageReference(source: ParentImageSource): string {
  return source.kind === 'ssm-parameter' ? `ssm:${source.name}` : source.arn;
}
