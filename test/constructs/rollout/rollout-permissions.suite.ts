import type { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { COLOURS } from '../../../lambda/shared/colours';
import { runtimeParameters } from '../../../lambda/shared/names';
import type { RolloutHandler } from '../../../lib/constructs/rollout/rollout-functions';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { configOf, testApp } from '../../support/synth';
import { shippedProduct } from '../../support/shipped-product';
import type { TestApp } from '../../support/synth';
import { arnPrefix, grantsOf, render, rendered, rolloutDefinition } from './rollout-template';
import type { Grant } from './rollout-template';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];

/** Reads: Describe*, Get*, List*, and DynamoDB's Query (anything else changes something). */
const isRead = (action: string) =>
  /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/.test(action) || action === 'dynamodb:Query';

/**
 * Writes the services accept on `*` only: X-Ray segments and the state machine's CloudWatch Logs
 * delivery support no resource-level permissions.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
 */
const WRITES_WITHOUT_RESOURCES = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'logs:CreateLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:PutResourcePolicy',
]);

const idOf = (stack: ImmutableStack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

/**
 * The roles of the rollout: each function's (the promotion's too, where the environment takes
 * another's releases), the state machines' and the schedule's.
 */
function rolloutRoles(stack: ImmutableStack, template: Template): Map<string, string> {
  const roles = new Map<string, string>();
  for (const fn of stack.rollout.functions.all()) roles.set(fn.node.id, idOf(stack, fn.role as iam.Role));
  for (const fn of [stack.operations.interactiveAccess.function, stack.operations.fleetCheck.function])
    roles.set(fn.node.id, idOf(stack, fn.role as iam.Role));
  roles.set('state machine', idOf(stack, stack.rollout.stateMachine.role));
  const promotion = stack.rollout.promotion;
  if (promotion) roles.set('promotion state machine', idOf(stack, promotion.stateMachine.role));
  const schedules = template.findResources('AWS::Scheduler::Schedule') as Record<
    string,
    { Properties: { Target: { RoleArn: unknown } } }
  >;
  for (const [id, s] of Object.entries(schedules)) {
    const role = /^\$\{(\w+)\.Arn\}$/.exec(render(s.Properties.Target.RoleArn))?.[1];
    if (role) roles.set(`schedule ${id}`, role);
  }
  return roles;
}

/** The fleet's instance role, as the template knows it: the role EC2 assumes for the fleet's instances. */
function instanceRoleArn(stack: ImmutableStack, template: Template): string {
  const roles = Object.keys(
    template.findResources('AWS::IAM::Role', {
      Properties: { Description: `Fleet instances of immutable-${stack.config.name}` },
    }),
  );
  if (roles.length !== 1) throw new Error(`${roles.length} instance roles`);
  return `\${${roles[0]}.Arn}`;
}

/** The resources each write may touch: the fleet's own, named one by one. */
function allowedWrites(stack: ImmutableStack, template: Template): Record<string, string[]> {
  const env = stack.config.name;
  const { fleet, rollout } = stack;
  const groups = COLOURS.map(
    (c) => `${arnPrefix('autoscaling')}autoScalingGroup:*:autoScalingGroupName/immutable-${env}-${c}`,
  );
  const launchTemplate = `${arnPrefix('ec2')}launch-template/${rendered(stack, fleet.launchTemplateId)}`;
  const image = 'arn:${AWS::Partition}:ec2:${AWS::Region}::image/*';
  const launched = ['instance', 'volume', 'network-interface'].map((t) => `${arnPrefix('ec2')}${t}/*`);
  // The fleet's own subnets and security group, by id.
  const [group] = Object.values(template.findResources('AWS::AutoScaling::AutoScalingGroup'));
  const used = [
    ...(group?.Properties.VPCZoneIdentifier as unknown[]).map(
      (id) => `${arnPrefix('ec2')}subnet/${render(id)}`,
    ),
    `${arnPrefix('ec2')}security-group/${rendered(stack, fleet.connections.securityGroups[0]?.securityGroupId ?? '')}`,
  ];
  const p = runtimeParameters(env);
  const parameters = [
    p.releasedImage,
    p.listenerWeights,
    ...COLOURS.map((c) => p.launchTemplateVersion(c)),
  ].map((n) => `${arnPrefix('ssm')}parameter${n}`);
  const table = rendered(stack, rollout.table.tableArn);
  const functions = rollout.functions.all().map((fn) => rendered(stack, fn.functionArn));
  const operations = [stack.operations.interactiveAccess.function, stack.operations.fleetCheck.function];
  const logGroups = [...rollout.functions.all(), ...operations].map((fn) =>
    rendered(stack, fn.logGroup.logGroupArn),
  );
  const topicKey = rendered(stack, rollout.topic.masterKey?.keyArn as string);
  const stateMachines = [
    rollout.stateMachine,
    ...(rollout.promotion ? [rollout.promotion.stateMachine] : []),
  ];
  return {
    'autoscaling:UpdateAutoScalingGroup': groups,
    'autoscaling:StartInstanceRefresh': groups,
    'autoscaling:CancelInstanceRefresh': groups,
    // a replace detaches the replaced instances from their group
    'autoscaling:DetachInstances': groups,
    // instance ids are known only at launch: a condition on the environment's tag scopes these
    'ec2:TerminateInstances': [`${arnPrefix('ec2')}instance/*`],
    'elasticloadbalancing:ModifyListener': [rendered(stack, fleet.listenerArn)],
    'ec2:CreateLaunchTemplateVersion': [launchTemplate],
    'ec2:RunInstances': [launchTemplate, ...launched, ...used, image],
    // What a launch creates, tagged as it is created, and the tainted tag on an instance
    // (never an image: the factory tags those)
    'ec2:CreateTags': ['instance', 'volume'].map((t) => `${arnPrefix('ec2')}${t}/*`),
    'iam:PassRole': [instanceRoleArn(stack, template)],
    'dynamodb:PutItem': [table],
    'dynamodb:UpdateItem': [table],
    'dynamodb:DeleteItem': [table],
    'ssm:PutParameter': parameters,
    'sns:Publish': [rendered(stack, rollout.topic.topicArn)],
    'kms:Decrypt': [topicKey],
    'kms:GenerateDataKey': [topicKey],
    'states:StartExecution': stateMachines.map((m) => rendered(stack, m.stateMachineArn)),
    // Image Released, on this account's default bus (rules forward it where it must go)
    'events:PutEvents': [`${arnPrefix('events')}event-bus/default`],
    'lambda:InvokeFunction': [...functions, ...functions.map((f) => `${f}:*`)],
    'logs:CreateLogStream': logGroups,
    'logs:PutLogEvents': logGroups,
    'sqs:SendMessage': [rendered(stack, rollout.deadLetters.queueArn)],
  };
}

/** Every way the rollout's policies break least privilege, one line each. */
function iamFindings(stack: ImmutableStack, template: Template): string[] {
  const allowed = allowedWrites(stack, template);
  const findings: string[] = [];
  for (const [who, role] of rolloutRoles(stack, template)) {
    for (const g of grantsOf(template, role)) {
      for (const action of g.actions) {
        if (action.includes('*')) findings.push(`${who}: wildcard action ${action}`);
        if (isRead(action)) continue;
        if (WRITES_WITHOUT_RESOURCES.has(action)) continue;
        if (g.resources.includes('*')) findings.push(`${who}: ${action} on *`);
        const expected = allowed[action];
        if (!expected) findings.push(`${who}: unexpected write ${action}`);
        for (const r of g.resources.filter((x) => x !== '*' && !expected?.includes(x)))
          findings.push(`${who}: ${action} on ${r}`);
      }
    }
  }
  return findings;
}

let app: TestApp;
const stacks = {} as Record<Env, ImmutableStack>;

beforeAll(() => {
  app = shippedProduct();
  for (const env of ENVS) {
    stacks[env] = app.stack(env);
    app.template(env);
  }
});
afterAll(() => app.cleanup());

const grantsOfFunction = (env: Env, fn: RolloutHandler): Grant[] =>
  grantsOf(app.template(env), idOf(stacks[env], stacks[env].rollout.functions.get(fn).role as iam.Role));
const allGrants = (env: Env): [string, Grant][] =>
  [...rolloutRoles(stacks[env], app.template(env))].flatMap(([who, role]) =>
    grantsOf(app.template(env), role).map((g): [string, Grant] => [who, g]),
  );

describe('least privilege', () => {
  it.each(ENVS)('%s: no wildcard action, no write on *, every write on the fleet’s own resources', (env) => {
    // 15 rollout functions, the 2 operations functions, the state machine and the schedule; where
    // the environment promotes from another, the promotion's two functions and its state machine too
    expect(rolloutRoles(stacks[env], app.template(env)).size).toBe(env === 'dev' ? 19 : 22);
    expect(iamFindings(stacks[env], app.template(env))).toEqual([]);
  });

  describe('the check itself', () => {
    let probe: TestApp;
    let findings: string[];
    beforeAll(() => {
      probe = testApp({ environments: [configOf('dev')] });
      const stack = probe.stacks[0] as ImmutableStack;
      const fns = stack.rollout.functions;
      fns
        .get('shift-traffic')
        .addToRolePolicy(
          new iam.PolicyStatement({ actions: ['elasticloadbalancing:ModifyListener'], resources: ['*'] }),
        );
      fns
        .get('judge-canary')
        .addToRolePolicy(
          new iam.PolicyStatement({ actions: ['cloudwatch:*'], resources: ['arn:aws:cloudwatch:::alarm:x'] }),
        );
      fns.get('ledger').addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ssm:PutParameter'],
          resources: ['arn:aws:ssm:::parameter/other'],
        }),
      );
      findings = iamFindings(stack, probe.template('dev'));
    });
    afterAll(() => probe.cleanup());

    it('fails when a function role gains a write on Resource *', () => {
      expect(findings).toContain('shift-traffic: elasticloadbalancing:ModifyListener on *');
    });

    it('fails when a function role gains a wildcard action', () => {
      expect(findings).toContain('judge-canary: wildcard action cloudwatch:*');
    });

    it('fails when a write reaches beyond the fleet’s resources', () => {
      expect(findings).toContain('ledger: ssm:PutParameter on arn:aws:ssm:::parameter/other');
    });
  });
});

describe('launching instances', () => {
  it.each(ENVS)(
    '%s: only the refresh and canary steps may launch, only through the fleet template',
    (env) => {
      const stack = stacks[env];
      const launchTemplate = `${arnPrefix('ec2')}launch-template/${rendered(stack, stack.fleet.launchTemplateId)}`;
      const launches = allGrants(env).filter(([, g]) => g.actions.includes('ec2:RunInstances'));
      expect([...new Set(launches.map(([who]) => who))].sort()).toEqual(['prepare-canary', 'start-refresh']);
      for (const [who, g] of launches) {
        expect({ who, actions: g.actions, condition: g.condition?.ArnLike }).toEqual({
          who,
          actions: ['ec2:RunInstances'],
          condition: { 'ec2:LaunchTemplate': launchTemplate },
        });
      }
    },
  );

  it.each(ENVS)(
    '%s: every launch statement that names image/* carries ec2:Owner, the image factory account only',
    (env) => {
      const imageLaunches = allGrants(env).filter(
        ([, g]) => g.actions.includes('ec2:RunInstances') && g.resources.some((r) => r.includes(':image/')),
      );
      expect(imageLaunches.length).toBe(2);
      for (const [, g] of imageLaunches) {
        expect(g.condition?.StringEquals).toEqual({ 'ec2:Owner': ['${AWS::AccountId}'] });
      }
    },
  );

  it.each(ENVS)('%s: instances launch only with the fleet instance profile and IMDSv2', (env) => {
    const instanceLaunches = allGrants(env).filter(
      ([, g]) => g.actions.includes('ec2:RunInstances') && g.resources.some((r) => r.includes(':instance/')),
    );
    expect(instanceLaunches.length).toBe(2);
    for (const [, g] of instanceLaunches) {
      expect(g.condition?.StringEquals).toEqual({
        'ec2:InstanceProfile': expect.stringMatching(/^\$\{FleetGroupsLaunchTemplateProfile\w+\.Arn\}$/),
        'ec2:MetadataHttpTokens': 'required',
      });
    }
  });

  it.each(ENVS)('%s: the instance role is passed only to EC2', (env) => {
    const stack = stacks[env];
    const passes = allGrants(env).filter(([, g]) => g.actions.includes('iam:PassRole'));
    expect(passes.length).toBeGreaterThan(0);
    for (const [who, g] of passes) {
      expect({ who, actions: g.actions, resources: g.resources, condition: g.condition }).toEqual({
        who,
        actions: ['iam:PassRole'],
        resources: [instanceRoleArn(stack, app.template(env))],
        condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      });
    }
  });
});

describe('tagging', () => {
  it.each(ENVS)('%s: the functions that launch tag only what their launches create', (env) => {
    const onLaunch = allGrants(env).filter(
      ([, g]) => g.actions.includes('ec2:CreateTags') && g.condition?.StringEquals?.['ec2:CreateAction'],
    );
    expect(onLaunch.map(([who, g]) => [who, g.actions, g.condition]).sort()).toEqual(
      ['prepare-canary', 'start-refresh'].map((who) => [
        who,
        ['ec2:CreateTags'],
        { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
      ]),
    );
  });

  // The image factory owns the AMIs and tags what each environment announces (image-factory-stack.test.ts).
  it.each(ENVS)('%s: no rollout or promotion role may tag or untag anything else', (env) => {
    const tagging = allGrants(env).filter(
      ([, g]) =>
        g.actions.some((a) => /Tags?$|Tag[A-Z]/.test(a)) &&
        !(
          g.actions.length === 1 &&
          g.actions[0] === 'ec2:CreateTags' &&
          g.condition?.StringEquals?.['ec2:CreateAction'] === 'RunInstances'
        ),
    );
    // only the answer to interactive access tags, and only instances (its own test pins the condition)
    expect(tagging.map(([who, g]) => [who, g.actions, g.resources])).toEqual([
      ['on-interactive-access', ['ec2:CreateTags'], [`${arnPrefix('ec2')}instance/*`]],
    ]);
    expect(
      allGrants(env)
        .filter(([, g]) => g.actions.includes('ec2:CreateTags'))
        .flatMap(([, g]) => g.resources)
        .filter((r) => r.includes('::image/')),
    ).toEqual([]);
  });

  it.each(ENVS)('%s: announce-release only puts events on this account’s default bus', (env) => {
    const puts = allGrants(env).filter(([, g]) => g.actions.includes('events:PutEvents'));
    expect(puts.map(([who, g]) => [who, g.actions, g.resources])).toEqual([
      ['announce-release', ['events:PutEvents'], [`${arnPrefix('events')}event-bus/default`]],
    ]);
  });
});

describe('state machine role', () => {
  const smGrants = (env: Env) =>
    grantsOf(app.template(env), idOf(stacks[env], stacks[env].rollout.stateMachine.role));

  it.each(ENVS)('%s: invokes exactly the functions its definition names', (env) => {
    const stack = stacks[env];
    const def = rolloutDefinition(stack, app.template(env));
    const named = new Set(
      Object.values(def.States)
        .map((s) => String(s.Resource))
        .filter((r) => r.startsWith('${Rollout')),
    );
    const invoked = smGrants(env)
      .filter((g) => g.actions.includes('lambda:InvokeFunction'))
      .flatMap((g) => g.resources);
    expect(new Set(invoked)).toEqual(new Set([...named, ...[...named].map((f) => `${f}:*`)]));
    expect(named.size).toBe(13);
    const triggers = (['on-image-available', 'release-abandoned-lock'] as const).map((h) =>
      rendered(stack, stack.rollout.functions.get(h).functionArn),
    );
    for (const t of triggers) expect(invoked).not.toContain(t);
    // the promotion's functions are the promotion state machine's, never the rollout's
    if (stack.rollout.promotion) {
      for (const h of ['on-upstream-release', 'promotion'] as const)
        expect(invoked).not.toContain(rendered(stack, stack.rollout.functions.get(h).functionArn));
    }
  });

  it.each(ENVS)('%s: publishes only to its own topic, with its key', (env) => {
    const stack = stacks[env];
    const grants = smGrants(env);
    const on = (prefix: string) =>
      grants.filter((g) => g.actions.some((a) => a.startsWith(prefix))).map((g) => [g.actions, g.resources]);
    expect(on('sns:')).toEqual([[['sns:Publish'], [rendered(stack, stack.rollout.topic.topicArn)]]]);
    expect(on('kms:')).toEqual([
      [
        ['kms:Decrypt', 'kms:GenerateDataKey'],
        [rendered(stack, stack.rollout.topic.masterKey?.keyArn as string)],
      ],
    ]);
  });

  it.each(ENVS)('%s: takes the way back itself: the listener, and the sizes of the two groups', (env) => {
    const stack = stacks[env];
    const onFleet = smGrants(env)
      .filter((g) => g.actions.some((a) => /^(autoscaling|elasticloadbalancing|ec2|iam):/.test(a)))
      .map((g) => [g.actions, g.resources]);
    expect(onFleet).toEqual([
      [['elasticloadbalancing:ModifyListener'], [rendered(stack, stack.fleet.listenerArn)]],
      [
        ['autoscaling:UpdateAutoScalingGroup'],
        COLOURS.map(
          (c) => `${arnPrefix('autoscaling')}autoScalingGroup:*:autoScalingGroupName/immutable-${env}-${c}`,
        ),
      ],
    ]);
  });

  it.each(ENVS)('%s: the schedule may only start this state machine', (env) => {
    const stack = stacks[env];
    const schedule = [...rolloutRoles(stack, app.template(env))].filter(([who]) =>
      who.startsWith('schedule'),
    );
    expect(schedule).toHaveLength(1);
    const grants = grantsOf(app.template(env), schedule[0]?.[1] as string);
    expect(grants.map((g) => [g.actions, g.resources])).toEqual([
      [['states:StartExecution'], [rendered(stack, stack.rollout.stateMachine.stateMachineArn)]],
      // undeliverable schedules go to the triggers' dead-letter queue
      [['sqs:SendMessage'], [rendered(stack, stack.rollout.deadLetters.queueArn)]],
    ]);
  });
});

describe('promotion roles', () => {
  const PROMOTING = ['staging', 'prod'] as const;

  it('exist only where the environment takes another one’s releases', () => {
    expect(stacks.dev.rollout.promotion).toBeUndefined();
    for (const env of PROMOTING) expect(stacks[env].rollout.promotion).toBeDefined();
    expect(() => stacks.dev.rollout.functions.get('promotion')).toThrow(/no rollout function promotion/);
  });

  it.each(PROMOTING)('%s: the promotion state machine invokes the promotion function only', (env) => {
    const stack = stacks[env];
    const promotion = stack.rollout.promotion!;
    const fn = rendered(stack, stack.rollout.functions.get('promotion').functionArn);
    const grants = grantsOf(app.template(env), idOf(stack, promotion.stateMachine.role));
    const invoked = grants
      .filter((g) => g.actions.includes('lambda:InvokeFunction'))
      .flatMap((g) => g.resources);
    expect(new Set(invoked)).toEqual(new Set([fn, `${fn}:*`]));
    expect(grants.flatMap((g) => g.actions).filter((a) => a.startsWith('states:'))).toEqual([]);
  });

  it.each(PROMOTING)('%s: on-upstream-release starts the promotion, never a rollout', (env) => {
    const stack = stacks[env];
    const starts = grantsOfFunction(env, 'on-upstream-release').filter((g) =>
      g.actions.includes('states:StartExecution'),
    );
    expect(starts.flatMap((g) => g.resources)).toEqual([
      rendered(stack, stack.rollout.promotion!.stateMachine.stateMachineArn),
    ]);
  });

  it.each(PROMOTING)(
    '%s: the promotion function starts this environment’s rollout and reads only its executions',
    (env) => {
      const stack = stacks[env];
      const grants = grantsOfFunction(env, 'promotion');
      const on = (action: string) =>
        grants.filter((g) => g.actions.includes(action)).flatMap((g) => g.resources);
      expect(on('states:StartExecution')).toEqual([
        rendered(stack, stack.rollout.stateMachine.stateMachineArn),
      ]);
      expect(on('states:DescribeExecution')).toEqual([
        `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:immutable-${env}-rollout:*`,
      ]);
      expect(on('sns:Publish')).toEqual([rendered(stack, stack.rollout.topic.topicArn)]);
    },
  );
});

describe('per-function scope', () => {
  it.each(ENVS)('%s: functions that only read or record change nothing in the fleet', (env) => {
    const fleetWrites = /^(autoscaling|elasticloadbalancing|ec2|iam):(?!Describe)/;
    for (const fn of ['validate-input', 'plan-rollout', 'check-refresh', 'judge-canary', 'ledger'] as const) {
      const writes = grantsOfFunction(env, fn).flatMap((g) => g.actions.filter((a) => fleetWrites.test(a)));
      expect({ fn, writes }).toEqual({ fn, writes: [] });
    }
  });

  it.each(ENVS)('%s: only the ledger writes the runtime parameters', (env) => {
    const writers = allGrants(env)
      .filter(([, g]) => g.actions.includes('ssm:PutParameter'))
      .map(([who]) => who);
    expect(writers).toEqual(['ledger']);
  });

  it.each(ENVS)(
    '%s: the ledger may describe images, which SSM needs to store the aws:ec2:image released-ami value',
    (env) => {
      const describes = grantsOfFunction(env, 'ledger').filter((g) =>
        g.actions.includes('ec2:DescribeImages'),
      );
      expect(describes.map((g) => g.resources)).toEqual([['*']]);
    },
  );
});
