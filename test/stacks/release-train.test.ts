import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { validateProduct } from '../../lib/config';
import type { EnvironmentConfig, ImageFactoryConfig } from '../../lib/config';
import { configOf, factoryConfig, testApp } from '../support/synth';
import type { TestApp } from '../support/synth';
import { factoryTemplate, productTemplate } from '../support/templates';
import { grantsOf, render } from '../constructs/rollout/rollout-template';
import type { AslDefinition } from '../constructs/rollout/rollout-template';

/**
 * The release train across accounts and regions: the factory in a tooling account, dev and
 * staging in accounts of their own in the same region, prod in another account and region.
 */
const FACTORY = { account: '111111111111', region: 'eu-west-1' };
const PLACES = {
  dev: { account: '222222222222', region: 'eu-west-1' },
  staging: { account: '333333333333', region: 'eu-west-1' },
  prod: { account: '444444444444', region: 'us-east-1' },
} as const;
const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];
/** The factory's stack and each environment's. */
const STACKS: readonly ('factory' | Env)[] = ['factory', ...ENVS];

const zones = (region: string, n: number) => ['a', 'b', 'c'].slice(0, n).map((z) => `${region}${z}`);
const busOf = (p: { account: string; region: string }) =>
  `arn:aws:events:${p.region}:${p.account}:event-bus/default`;

/** The configured factory and environments, each pinned where PLACES says (validated as bin/app.ts would). */
function pinnedProduct(): { imageFactory: ImageFactoryConfig; environments: EnvironmentConfig[] } {
  const imageFactory = factoryConfig();
  Object.assign(imageFactory, FACTORY);
  if (imageFactory.network.kind === 'new') imageFactory.network.availabilityZones = zones(FACTORY.region, 2);
  const environments = ENVS.map((name) => {
    const c = configOf(name);
    Object.assign(c, PLACES[name]);
    if (c.network.kind === 'new') c.network.availabilityZones = zones(PLACES[name].region, c.network.maxAzs);
    return c;
  });
  // A pinned stack deploys for real: real addresses, not the shipped placeholders.
  imageFactory.notificationEmails = ['builds@acme.io'];
  for (const c of environments) c.rollout.notificationEmails = ['oncall@acme.io'];
  const prod = environments[2] as EnvironmentConfig;
  prod.fleet.loadBalancer.certificateArn =
    'arn:aws:acm:us-east-1:444444444444:certificate/00000000-0000-4000-8000-000000000000';
  const valid = validateProduct({ imageFactory, environments });
  return { imageFactory: valid.imageFactory, environments: [...valid.environments] };
}

interface RuleResource {
  readonly Properties: {
    readonly EventPattern: Record<string, unknown>;
    readonly Targets: { Arn: unknown; RoleArn?: unknown; DeadLetterConfig?: unknown }[];
  };
}

/** The rules that match events (the fleet check's schedule matches none). */
const rulesOf = (template: Template) =>
  Object.entries(template.findResources('AWS::Events::Rule') as Record<string, RuleResource>).filter(
    ([, r]) => r.Properties.EventPattern !== undefined,
  );

/** Rules whose target is another account's or region's default bus: what the stack forwards, and where. */
function forwardsOf(template: Template) {
  return rulesOf(template)
    .filter(([, r]) =>
      r.Properties.Targets.some((t) => typeof t.Arn === 'string' && t.Arn.includes(':event-bus/')),
    )
    .map(([id, r]) => ({
      id,
      pattern: r.Properties.EventPattern,
      buses: r.Properties.Targets.map((t) => t.Arn as string),
    }));
}

/** The accounts each default-bus policy of a stack lets put events. */
function busPolicyAccountsOf(template: Template): string[] {
  const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy'));
  return policies
    .map((p) => {
      const statement = p.Properties.Statement as { Principal: { AWS: unknown }; Action: string };
      expect(p.Properties.EventBusName).toBe('default');
      expect(statement.Action).toBe('events:PutEvents');
      const principal = render(statement.Principal.AWS);
      // a pinned stack knows its partition
      const account = /^arn:aws:iam::(\d{12}):root$/.exec(principal)?.[1];
      if (!account) throw new Error(`unexpected principal ${principal}`);
      return account;
    })
    .sort();
}

const released = (env: Env) => ({
  source: ['immutable.rollout'],
  'detail-type': ['Image Released'],
  account: [PLACES[env].account],
  detail: { environment: [env] },
});

let app: TestApp;
const templates = {} as Record<Env, Template>;
let factory: Template;

beforeAll(() => {
  app = testApp(pinnedProduct());
  factory = app.factoryTemplate();
  for (const env of ENVS) templates[env] = app.template(env);
});
afterAll(() => app.cleanup());

describe('the stacks', () => {
  it('are where they are configured to run', () => {
    expect([app.imageFactory, ...app.stacks].map((s) => [s.stackName, s.account, s.region])).toEqual([
      ['Immutable-images', '111111111111', 'eu-west-1'],
      ['Immutable-dev', '222222222222', 'eu-west-1'],
      ['Immutable-staging', '333333333333', 'eu-west-1'],
      ['Immutable-prod', '444444444444', 'us-east-1'],
    ]);
  });

  it('have no unacknowledged cdk-nag finding, forwarding and promotion included', () => {
    const checks = new AwsSolutionsChecks(app.app);
    for (const stack of [app.imageFactory, ...app.stacks]) {
      const violations = checks
        .validateScope(stack)
        .violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)]);
      expect({ stack: stack.stackName, violations }).toEqual({ stack: stack.stackName, violations: [] });
    }
  });
});

describe('distribution', () => {
  it("lets dev and staging launch the AMI in the factory's region, and copies it to prod's region for prod", () => {
    const [distribution] = Object.values(
      factory.findResources('AWS::ImageBuilder::DistributionConfiguration'),
    );
    const targets = (
      distribution?.Properties.Distributions as {
        Region: unknown;
        AmiDistributionConfiguration: { LaunchPermissionConfiguration?: { UserIds: string[] } };
        SsmParameterConfigurations?: unknown[];
      }[]
    ).map((d) => ({
      region: d.Region,
      launchableBy: d.AmiDistributionConfiguration.LaunchPermissionConfiguration?.UserIds,
      publishesParameter: d.SsmParameterConfigurations !== undefined,
    }));
    expect(targets).toEqual([
      // the factory's own region (eu-west-1)
      {
        region: { Ref: 'AWS::Region' },
        launchableBy: ['222222222222', '333333333333'],
        publishesParameter: true,
      },
      { region: 'us-east-1', launchableBy: ['444444444444'], publishesParameter: false },
    ]);
  });
});

describe('event forwarding', () => {
  it("forwards the factory's Image Available to each environment's bus", () => {
    const forwards = forwardsOf(factory);
    expect(forwards).toHaveLength(3);
    for (const f of forwards) {
      expect(f.pattern).toEqual({
        source: ['immutable.images'],
        'detail-type': ['Image Available'],
        account: ['111111111111'],
      });
    }
    expect(forwards.flatMap((f) => f.buses).sort()).toEqual(
      [busOf(PLACES.dev), busOf(PLACES.staging), busOf(PLACES.prod)].sort(),
    );
  });

  it.each([
    ['dev', [busOf(PLACES.staging), busOf(FACTORY)]],
    ['staging', [busOf(PLACES.prod), busOf(FACTORY)]],
    ['prod', [busOf(FACTORY)]],
  ] as const)(
    '%s forwards its own Image Released to the environment downstream and to the factory',
    (env, buses) => {
      const forwards = forwardsOf(templates[env]);
      for (const f of forwards) expect(f.pattern).toEqual(released(env));
      expect(forwards.flatMap((f) => f.buses).sort()).toEqual([...buses].sort());
    },
  );

  it.each(STACKS)(
    '%s: each forward puts events with a role of its own, allowed that bus only, and keeps what it cannot deliver',
    (who) => {
      const template = who === 'factory' ? factory : templates[who];
      for (const [, rule] of rulesOf(template)) {
        for (const target of rule.Properties.Targets.filter(
          (t) => typeof t.Arn === 'string' && t.Arn.includes(':event-bus/'),
        )) {
          expect(target.DeadLetterConfig).toBeDefined();
          const role = /^\$\{(\w+)\.Arn\}$/.exec(render(target.RoleArn))?.[1] as string;
          expect(grantsOf(template, role).map((g) => [g.actions, g.resources])).toEqual([
            [['events:PutEvents'], [target.Arn]],
          ]);
        }
      }
    },
  );
});

describe('bus policies', () => {
  it('the factory’s bus takes events from every environment’s account', () => {
    expect(busPolicyAccountsOf(factory)).toEqual(['222222222222', '333333333333', '444444444444']);
  });

  it.each([
    // the factory's announcements only
    ['dev', ['111111111111']],
    // and what the environment upstream released
    ['staging', ['111111111111', '222222222222']],
    ['prod', ['111111111111', '333333333333']],
  ] as const)("%s's bus takes events from exactly its senders' accounts", (env, senders) => {
    expect(busPolicyAccountsOf(templates[env])).toEqual(senders);
  });

  it.each(STACKS)('%s: each policy is on its own default bus', (who) => {
    const template = who === 'factory' ? factory : templates[who];
    const place = who === 'factory' ? FACTORY : PLACES[who];
    for (const p of Object.values(template.findResources('AWS::Events::EventBusPolicy'))) {
      expect(render((p.Properties.Statement as { Resource: unknown }).Resource)).toBe(busOf(place));
    }
  });
});

describe('what each stack takes', () => {
  it.each(ENVS)("%s takes the factory's Image Available from the factory's account only", (env) => {
    const rules = rulesOf(templates[env]).filter(([, r]) =>
      (r.Properties.EventPattern.source as string[]).includes('immutable.images'),
    );
    expect(rules.map(([, r]) => r.Properties.EventPattern)).toEqual([
      { source: ['immutable.images'], 'detail-type': ['Image Available'], account: ['111111111111'] },
    ]);
  });

  it("the factory takes each environment's Image Released from that environment's account", () => {
    // the factory forwards only its own Image Available: every rule on Image Released is its own
    const lineage = rulesOf(factory).filter(([, r]) =>
      (r.Properties.EventPattern.source as string[]).includes('immutable.rollout'),
    );
    expect(lineage.map(([, r]) => r.Properties.EventPattern)).toEqual([
      {
        source: ['immutable.rollout'],
        'detail-type': ['Image Released'],
        account: ['222222222222', '333333333333', '444444444444'],
      },
    ]);
    const [fn] = Object.values(
      factory.findResources('AWS::Lambda::Function', { Metadata: { 'immutable:handler': 'tag-lineage' } }),
    );
    expect(JSON.parse(fn?.Properties.Environment.Variables.ENVIRONMENT_ACCOUNTS as string)).toEqual({
      dev: '222222222222',
      staging: '333333333333',
      prod: '444444444444',
    });
  });

  /** Rules on Image Released from another account: the upstream releases an environment promotes. */
  const upstreamRules = (env: Env) =>
    rulesOf(templates[env]).filter(
      ([, r]) =>
        (r.Properties.EventPattern.source as string[]).includes('immutable.rollout') &&
        !(r.Properties.EventPattern.account as string[]).includes(PLACES[env].account),
    );

  it('dev takes no environment’s releases', () => {
    expect(upstreamRules('dev')).toEqual([]);
  });

  it.each([
    ['staging', 'dev'],
    ['prod', 'staging'],
  ] as const)("%s takes %s's Image Released from that environment's account", (env, upstream) => {
    expect(upstreamRules(env).map(([, r]) => r.Properties.EventPattern)).toEqual([
      {
        source: ['immutable.rollout'],
        'detail-type': ['Image Released'],
        account: [PLACES[upstream].account],
        detail: { environment: [upstream] },
      },
    ]);
  });
});

describe('promotion state machines', () => {
  const promotionOf = (env: Env): AslDefinition | undefined => {
    const machines = Object.values(
      templates[env].findResources('AWS::StepFunctions::StateMachine', {
        Properties: { StateMachineName: `immutable-${env}-promotion` },
      }),
    );
    expect(machines.length).toBeLessThanOrEqual(1);
    const [machine] = machines;
    return machine ? (JSON.parse(render(machine.Properties.DefinitionString)) as AslDefinition) : undefined;
  };

  it('dev has none: it takes the factory’s images', () => {
    expect(promotionOf('dev')).toBeUndefined();
  });

  it('prod asks a person for approval, waiting for the task token at most the configured time', () => {
    const def = promotionOf('prod');
    const promotion = configOf('prod').promotion;
    if (promotion.from === 'image-factory') throw new Error('prod promotes from staging');
    expect(promotion.approval).toBe('manual');
    expect(def?.States['Ask For Approval']).toMatchObject({
      Type: 'Task',
      Resource: 'arn:${AWS::Partition}:states:::lambda:invoke.waitForTaskToken',
      TimeoutSeconds: promotion.approvalTimeoutHours * 3600,
      Parameters: { Payload: { op: 'request-approval', 'taskToken.$': '$$.Task.Token' } },
    });
  });

  it('staging promotes without asking anyone', () => {
    expect(configOf('staging').promotion).toMatchObject({ approval: 'automatic' });
    const def = promotionOf('staging');
    expect(def?.States).toBeDefined();
    expect(Object.keys(def?.States ?? {})).not.toContain('Ask For Approval');
    expect(
      Object.values(def?.States ?? {}).filter((s) => String(s.Resource).includes('waitForTaskToken')),
    ).toEqual([]);
  });

  it.each(['staging', 'prod'] as const)('%s soaks for its configured time before its first check', (env) => {
    const def = promotionOf(env);
    expect(def?.StartAt).toBe('Load Promotion');
    expect(def?.States['Soak Before Promotion']).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.promotion.soakUntil',
      Next: 'Check Still Released',
    });
    const promotion = configOf(env).promotion;
    // its settings are the promotion function's own, not the execution's
    expect(def?.States['Load Promotion']?.Parameters?.settings).toBeUndefined();
    const fn = Object.values(templates[env].toJSON().Resources as Record<string, any>).find(
      (r) => r.Metadata?.['immutable:handler'] === 'promotion',
    );
    expect(JSON.parse(render(fn?.Properties.Environment.Variables.PROMOTION_SETTINGS))).toMatchObject({
      environment: env,
      ...(promotion.from === 'image-factory'
        ? {}
        : { from: promotion.from, soakMinutes: promotion.soakMinutes, approval: promotion.approval }),
    });
  });
});

describe('in one account and region (the configured, env-agnostic product)', () => {
  const stacks = (): [string, Template][] => [
    ['Immutable-images', factoryTemplate()],
    ...ENVS.map((e): [string, Template] => [`Immutable-${e}`, productTemplate(e)]),
  ];

  it('forwards nothing: every stack reads the one default bus', () => {
    for (const [name, template] of stacks())
      expect({ name, forwards: forwardsOf(template) }).toEqual({ name, forwards: [] });
  });

  it('sets no bus policy', () => {
    for (const [name, template] of stacks()) {
      expect({ name, policies: Object.keys(template.findResources('AWS::Events::EventBusPolicy')) }).toEqual({
        name,
        policies: [],
      });
    }
  });
});
