import { Match, Template } from 'aws-cdk-lib/assertions';
import { SHIPPED_ENVIRONMENTS as ENVIRONMENT_NAMES } from '../../support/templates';
import { runtimeParameters } from '../../../lambda/shared/names';
import type { ShippedEnvironment as EnvironmentName } from '../../support/templates';
import { RUNTIME_PARAMETER_IDS } from '../../../lib/constructs/fleet';
import { configOf, testApp } from '../../support/synth';

/** Two runtime states the workflow could have left behind; the values are unique strings to search for. */
const STATES = {
  afterCanary: {
    image: 'ami-0aaaaaaaaaaaaaaaa',
    weights: '37,63',
    versions: { blue: '7301', green: '7302' },
  },
  afterRollback: {
    image: 'ami-0bbbbbbbbbbbbbbbb',
    weights: '100,0',
    versions: { blue: '8801', green: '8802' },
  },
} as const;
type State = (typeof STATES)[keyof typeof STATES];

/**
 * Synthesize every environment with the runtime state offered everywhere a careless
 * implementation could read it at synth time: CDK context (by parameter name and by a
 * plain key) and the process environment.
 */
function synthWith(state: State, configs = ENVIRONMENT_NAMES.map((env) => configOf(env))) {
  const context: Record<string, string> = { releasedImage: state.image, listenerWeights: state.weights };
  for (const env of ENVIRONMENT_NAMES) {
    const names = runtimeParameters(env);
    context[names.releasedImage] = state.image;
    context[names.listenerWeights] = state.weights;
    context[names.launchTemplateVersion('blue')] = state.versions.blue;
    context[names.launchTemplateVersion('green')] = state.versions.green;
  }
  const offered = {
    RELEASED_AMI: state.image,
    LISTENER_WEIGHTS: state.weights,
    BLUE_LAUNCH_TEMPLATE_VERSION: state.versions.blue,
    GREEN_LAUNCH_TEMPLATE_VERSION: state.versions.green,
  };
  Object.assign(process.env, offered);
  try {
    const app = testApp({ context, environments: configs });
    const templates = Object.fromEntries(
      app.stacks.map((s) => [s.config.name, app.template(s.config.name).toJSON()]),
    );
    app.cleanup();
    return templates as Record<EnvironmentName, Record<string, any>>;
  } finally {
    for (const key of Object.keys(offered)) delete process.env[key];
  }
}

let afterCanary: Record<EnvironmentName, Record<string, any>>;
let afterRollback: Record<EnvironmentName, Record<string, any>>;

beforeAll(() => {
  afterCanary = synthWith(STATES.afterCanary);
  afterRollback = synthWith(STATES.afterRollback);
});

describe('who owns what: runtime state never shapes the template', () => {
  it('synthesizes identical templates whatever the runtime state', () => {
    for (const env of ENVIRONMENT_NAMES) expect(afterCanary[env]).toEqual(afterRollback[env]);
  });

  it('carries none of the runtime values anywhere', () => {
    for (const env of ENVIRONMENT_NAMES) {
      const text = JSON.stringify(afterCanary[env]);
      for (const state of Object.values(STATES)) {
        for (const value of [state.image, state.weights, state.versions.blue, state.versions.green]) {
          expect(text).not.toContain(value);
        }
      }
      expect(text).not.toMatch(/ami-[0-9a-f]{8,17}/);
    }
  });

  it('does change when a definition changes (the comparison above can fail)', () => {
    const changed = ENVIRONMENT_NAMES.map((env) => configOf(env));
    changed[0]!.fleet.instanceType = 't3.large';
    const other = synthWith(STATES.afterCanary, changed);
    expect(other.dev).not.toEqual(afterCanary.dev);
    expect(other.prod).toEqual(afterCanary.prod);
  });
});

describe('who owns what: runtime-owned properties are absent or deploy-time references', () => {
  it.each(ENVIRONMENT_NAMES)('%s: reads every runtime value from its SSM parameter', (env) => {
    const template = Template.fromJSON(afterCanary[env]);
    const names = runtimeParameters(env);
    template.hasParameter(RUNTIME_PARAMETER_IDS.releasedImage, {
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: names.releasedImage,
    });
    template.hasParameter(RUNTIME_PARAMETER_IDS.listenerWeights, {
      Type: 'AWS::SSM::Parameter::Value<List<String>>',
      Default: names.listenerWeights,
    });
    for (const colour of ['blue', 'green'] as const) {
      template.hasParameter(RUNTIME_PARAMETER_IDS.launchTemplateVersion[colour], {
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: names.launchTemplateVersion(colour),
      });
    }
  });

  it.each(ENVIRONMENT_NAMES)('%s: groups set no desired capacity and take their version from SSM', (env) => {
    const template = Template.fromJSON(afterCanary[env]);
    const groups = template.findResources('AWS::AutoScaling::AutoScalingGroup');
    expect(Object.keys(groups)).toHaveLength(2);
    for (const group of Object.values(groups)) {
      expect(group.Properties.DesiredCapacity).toBeUndefined();
      expect(group.Properties.MinSize).toBe('0');
      expect(Object.values(RUNTIME_PARAMETER_IDS.launchTemplateVersion)).toContain(
        group.Properties.LaunchTemplate.Version.Ref,
      );
      // A deploy must not re-send MinSize and drop the live colour's runtime minimum.
      expect(group.UpdatePolicy).toEqual({
        AutoScalingScheduledAction: { IgnoreUnmodifiedGroupSizeProperties: true },
      });
    }
  });

  it.each(ENVIRONMENT_NAMES)(
    '%s: the launch template and listener read the AMI and weights from SSM',
    (env) => {
      const template = Template.fromJSON(afterCanary[env]);
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ ImageId: { Ref: RUNTIME_PARAMETER_IDS.releasedImage } }),
      });
      const weighted = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener')).filter(
        (l) => l.Properties.DefaultActions[0].Type === 'forward',
      );
      expect(weighted).toHaveLength(1);
      expect(
        weighted[0]!.Properties.DefaultActions[0].ForwardConfig.TargetGroups.map((t: any) => t.Weight),
      ).toEqual([
        { 'Fn::Select': [0, { Ref: RUNTIME_PARAMETER_IDS.listenerWeights }] },
        { 'Fn::Select': [1, { Ref: RUNTIME_PARAMETER_IDS.listenerWeights }] },
      ]);
    },
  );
});
