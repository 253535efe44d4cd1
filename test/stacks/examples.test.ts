import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../lib/app';
import type { BuiltApp } from '../../lib/app';
import { CDK_JSON_CONTEXT, scratchDir } from '../support/synth';

/**
 * Every product configuration under examples/, synthesized as `cdk synth -c config=FILE` does:
 * the file named in the app's context, cdk-nag on. (Without asset bundling or CloudFormation's
 * own validation, which take minutes and depend on nothing the file says.)
 */

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const FILES = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

interface Synthesized {
  readonly built?: BuiltApp;
  readonly assembly?: CloudAssembly;
  readonly error?: Error;
  readonly outdir: string;
}

/** `cdk synth -c config=examples/<file>`, in-process. */
function synthesize(file: string): Synthesized {
  const outdir = scratchDir();
  try {
    const built = buildApp({
      outdir,
      builtinCloudFormationValidation: false,
      context: {
        ...CDK_JSON_CONTEXT,
        'aws:cdk:bundling-stacks': [],
        config: join(EXAMPLES, file),
        sourceRevision: 'test',
      },
    });
    return { built, assembly: built.app.synth(), outdir };
  } catch (e) {
    return { error: e as Error, outdir };
  }
}

const synthesized = new Map<string, Synthesized>();
const of = (file: string): Synthesized => {
  let s = synthesized.get(file);
  if (!s) {
    s = synthesize(file);
    synthesized.set(file, s);
  }
  return s;
};
afterAll(() => {
  for (const s of synthesized.values()) rmSync(s.outdir, { recursive: true, force: true });
});

it('ships the shipped configuration and a layout across accounts and regions', () => {
  expect(FILES).toEqual(expect.arrayContaining(['dev-staging-prod.json', 'four-accounts.json']));
});

describe.each(FILES)('examples/%s', (file) => {
  it('synthesizes with cdk-nag on, every stack free of unacknowledged findings', () => {
    const { built, error } = of(file);
    expect(error?.message).toBeUndefined();
    const checks = new AwsSolutionsChecks();
    for (const stack of [built?.imageFactory, ...(built?.stacks ?? [])] as Stack[]) {
      const violations = checks
        .validateScope(stack)
        .violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)]);
      expect({ stack: stack.stackName, violations }).toEqual({ stack: stack.stackName, violations: [] });
    }
  });

  it('makes the image factory and one stack per environment, in promotion order', () => {
    const { built } = of(file);
    const names = built?.product.environments.map((e) => `Immutable-${e.name}`);
    expect(built?.stacks.map((s) => s.stackName)).toEqual(names);
    expect(built?.imageFactory.stackName).toBe('Immutable-images');
  });
});

describe('examples/four-accounts.json, every stack pinned', () => {
  const FILE = 'four-accounts.json';
  const bus = (account: string, region: string) => `arn:aws:events:${region}:${account}:event-bus/default`;
  const template = (name: string): Template => {
    const stack = [of(FILE).built?.imageFactory, ...(of(FILE).built?.stacks ?? [])].find(
      (s) => s?.stackName === name,
    );
    if (!stack) throw new Error(`no stack ${name}`);
    return Template.fromStack(stack);
  };
  /** Each rule's target buses in another account or region. */
  const forwards = (name: string) =>
    Object.values(template(name).findResources('AWS::Events::Rule')).flatMap((r) =>
      (r.Properties.Targets as { Arn: unknown }[])
        .map((t) => t.Arn)
        .filter((arn): arn is string => typeof arn === 'string' && arn.includes(':event-bus/')),
    );
  const statementIds = (name: string) =>
    Object.values(template(name).findResources('AWS::Events::EventBusPolicy')).map(
      (p) => p.Properties.StatementId as string,
    );

  it('synthesizes without a single context lookup: no credentials needed', () => {
    expect(of(FILE).assembly?.manifest.missing ?? []).toEqual([]);
  });

  it('puts each stack in its account and region, across two regions', () => {
    const { built } = of(FILE);
    expect(
      [built?.imageFactory, ...(built?.stacks ?? [])].map((s) => [s?.stackName, s?.account, s?.region]),
    ).toEqual([
      ['Immutable-images', '111111111111', 'eu-west-1'],
      ['Immutable-qa', '222222222222', 'eu-west-1'],
      ['Immutable-uat', '222222222222', 'eu-west-1'],
      ['Immutable-prod-eu', '333333333333', 'eu-west-1'],
      ['Immutable-prod-us', '444444444444', 'us-east-1'],
    ]);
  });

  it('announces each image once to the bus qa and uat share, and once to each production bus', () => {
    expect(forwards('Immutable-images').sort()).toEqual(
      [
        bus('222222222222', 'eu-west-1'),
        bus('333333333333', 'eu-west-1'),
        bus('444444444444', 'us-east-1'),
      ].sort(),
    );
  });

  it('forwards uat’s releases to both production environments and the factory; qa’s to the factory only', () => {
    expect(forwards('Immutable-uat').sort()).toEqual(
      [
        bus('111111111111', 'eu-west-1'),
        bus('333333333333', 'eu-west-1'),
        bus('444444444444', 'us-east-1'),
      ].sort(),
    );
    expect(forwards('Immutable-qa')).toEqual([bus('111111111111', 'eu-west-1')]);
  });

  it('gives qa and uat, on one bus, statements of their own admitting the factory', () => {
    expect([statementIds('Immutable-qa'), statementIds('Immutable-uat')]).toEqual([
      ['immutable-qa-111111111111'],
      ['immutable-uat-111111111111'],
    ]);
    expect(statementIds('Immutable-prod-us')).toEqual([
      'immutable-prod-us-111111111111',
      'immutable-prod-us-222222222222',
    ]);
  });
});

describe('the lookup check', () => {
  it('fails when a pinned stack asks for its zones without naming them', () => {
    const outdir = scratchDir();
    try {
      const app = new App({ outdir });
      const stack = new Stack(app, 'Pinned', { env: { account: '111111111111', region: 'eu-west-1' } });
      expect(stack.availabilityZones).toHaveLength(3);
      expect(app.synth().manifest.missing?.map((m) => m.provider)).toEqual(['availability-zones']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
