import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import type * as Ledger from '../../../lambda/handlers/ledger';
import type { Action, Outcome } from '../../../lambda/shared/documents';
import { HANDLER_METADATA } from '../../../lib/constructs/rollout/rollout-functions';
import type { RolloutWorkflow } from '../../../lib/constructs/rollout/rollout-workflow';
import { canaryPlan, execution, fleet, request, settings } from '../../lambda/fixtures';
import { storeParameters } from '../../lambda/sdk-mocks';
import { bareStack, templateOf } from '../../support/bare-stack';
import { shippedProduct } from '../../support/shipped-product';
import type { TestApp } from '../../support/synth';

/** The part of an EMF document that names a metric: namespace, dimension names, metric names. */
interface Emf {
  readonly _aws: {
    readonly CloudWatchMetrics: {
      readonly Namespace: string;
      readonly Dimensions: string[][];
      readonly Metrics: { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** A metric as CloudWatch identifies it: what a graph or alarm must match exactly. */
interface MetricId {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
}

const idOf = (metric: cloudwatch.IMetric): MetricId => {
  const stat = metric.toMetricConfig().metricStat;
  if (!stat) throw new Error('not a single metric');
  return {
    namespace: stat.namespace,
    metricName: stat.metricName,
    dimensions: Object.fromEntries((stat.dimensions ?? []).map((d) => [d.name, String(d.value)])),
  };
};

/** The metrics of a math expression, by id. */
const usedBy = (metric: cloudwatch.IMetric) => metric.toMetricConfig().mathExpression?.usingMetrics ?? {};

let app: TestApp;
let workflow: RolloutWorkflow;
/** The environment the ledger function runs with in dev. */
let ledgerEnvironment: Record<string, string>;

beforeAll(() => {
  app = shippedProduct();
  workflow = app.stack('dev').rollout;
  const functions = app.template('dev').findResources('AWS::Lambda::Function') as Record<
    string,
    { Metadata?: Record<string, unknown>; Properties: { Environment: { Variables: Record<string, string> } } }
  >;
  const ledger = Object.values(functions).find((fn) => fn.Metadata?.[HANDLER_METADATA] === 'ledger');
  // The literal variables (Powertools' own); the settings, tokens here, are the fixtures'.
  ledgerEnvironment = Object.fromEntries(
    Object.entries(ledger?.Properties.Environment.Variables ?? {}).filter(([, v]) => typeof v === 'string'),
  );
});
afterAll(() => app.cleanup());

describe('what the ledger publishes when a rollout finishes', () => {
  const published: Emf[] = [];
  const saved = { ...process.env };

  // Run the real ledger handler with the environment its function gets (loaded fresh, as at a
  // cold start, so Powertools reads that environment), and keep what it writes.
  beforeAll(async () => {
    Object.assign(process.env, ledgerEnvironment, { POWERTOOLS_METRICS_DISABLED: 'false' });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const line = String(chunk);
      if (line.includes('"_aws"')) published.push(JSON.parse(line) as Emf);
      return true;
    });
    try {
      await jest.isolateModulesAsync(async () => {
        const ddb = await import('@aws-sdk/client-dynamodb');
        const ssmClient = await import('@aws-sdk/client-ssm');
        const db = mockClient(ddb.DynamoDBClient);
        db.on(ddb.PutItemCommand).resolves({});
        db.on(ddb.UpdateItemCommand).resolves({});
        db.on(ddb.DeleteItemCommand).resolves({});
        db.on(ddb.QueryCommand).resolves({ Items: [] });
        db.on(ddb.GetItemCommand).resolves({ Item: { record: { S: JSON.stringify(fleet()) } } });
        storeParameters(mockClient(ssmClient.SSMClient), 'unchanged', ssmClient);
        const ledger = jest.requireActual<typeof Ledger>('../../../lambda/handlers/ledger');
        const handler = ledger.create({
          config: settings(),
          clients: { dynamodb: new ddb.DynamoDBClient({}), ssm: new ssmClient.SSMClient({}) },
          clock: () => new Date(),
        });
        await handler({
          op: 'finish',
          execution: execution(),
          document: {
            request: request({ action: 'canary', imageId: 'ami-0bbbbbbbbbbbbbbbb' }),
            plan: canaryPlan(),
            error: { Error: 'CanaryFailed', Cause: 'the canary answered 5xx' },
          },
        });
      });
    } finally {
      write.mockRestore();
      process.env = saved;
    }
  });

  /** Every metric the ledger published, as CloudWatch identifies it. */
  const emitted = (): MetricId[] =>
    published.flatMap((emf) =>
      emf._aws.CloudWatchMetrics.flatMap((directive) =>
        directive.Dimensions.flatMap((names) =>
          directive.Metrics.map((m) => ({
            namespace: directive.Namespace,
            metricName: m.Name,
            dimensions: Object.fromEntries(names.map((n) => [n, String(emf[n])])),
          })),
        ),
      ),
    );

  it('publishes Rollouts and RolloutDuration with the service, environment, action and outcome dimensions', () => {
    expect(emitted().map((m) => [m.metricName, Object.keys(m.dimensions).sort()])).toEqual([
      ['Rollouts', ['action', 'environment', 'outcome', 'service']],
      ['RolloutDuration', ['action', 'environment', 'outcome', 'service']],
    ]);
  });

  it('metricRolloutsFailed for the action reads exactly what was published', () => {
    const rollouts = emitted().find((m) => m.metricName === 'Rollouts');
    expect(idOf(workflow.metricRolloutsFailed({ action: 'canary' }))).toEqual(rollouts);
  });

  it('metricRolloutsFailed across actions includes exactly what was published', () => {
    const rollouts = emitted().find((m) => m.metricName === 'Rollouts');
    expect(Object.values(usedBy(workflow.metricRolloutsFailed())).map(idOf)).toContainEqual(rollouts);
  });

  it('metricRolloutDuration of failed rollouts reads exactly what was published', () => {
    const duration = emitted().find((m) => m.metricName === 'RolloutDuration');
    const metric = workflow.metricRolloutDuration({ action: 'canary', outcome: 'FAILED' });
    expect(idOf(metric)).toEqual(duration);
    expect(
      Object.values(usedBy(workflow.metricRolloutDuration({ outcome: 'FAILED' }))).map(idOf),
    ).toContainEqual(duration);
  });

  it('names the service immutable-rollout in every environment, whatever POWERTOOLS_SERVICE_NAME says', () => {
    // The variable names the environment, but the handlers' own serviceName option wins.
    expect(ledgerEnvironment.POWERTOOLS_SERVICE_NAME).toBe('immutable-rollout-dev');
    expect(emitted().map((m) => m.dimensions.service)).toEqual(['immutable-rollout', 'immutable-rollout']);
  });
});

describe('metricRolloutsFailed', () => {
  const actions: Action[] = ['phoenix', 'canary', 'rollback', 'restore', 'replace'];

  it('sums the FAILED rollouts of every action', () => {
    const config = workflow.metricRolloutsFailed().toMetricConfig();
    expect(config.mathExpression?.expression).toBe('SUM([phoenix, canary, rollback, restore, replace])');
    const used = usedBy(workflow.metricRolloutsFailed());
    expect(Object.keys(used)).toEqual(actions);
    for (const action of actions) {
      const metric = used[action] as cloudwatch.IMetric;
      expect(idOf(metric)).toEqual({
        namespace: 'ImmutableFleet',
        metricName: 'Rollouts',
        dimensions: { service: 'immutable-rollout', environment: 'dev', action, outcome: 'FAILED' },
      });
      expect(metric.toMetricConfig().metricStat?.statistic).toBe('Sum');
    }
  });

  it('reads one action as a plain metric, with the given period', () => {
    const metric = workflow.metricRolloutsFailed({ action: 'phoenix', period: Duration.hours(1) });
    expect(metric.toMetricConfig().metricStat).toMatchObject({ statistic: 'Sum', period: Duration.hours(1) });
  });

  it('fails when a statistic other than Sum is combined across actions', () => {
    expect(() => workflow.metricRolloutsFailed({ statistic: 'Average' })).toThrow(
      'Rollouts across actions can only be combined with statistic Sum (give an action for another), got Average',
    );
  });

  it('can be alarmed on', () => {
    const stack = bareStack({ id: 'Alarms' });
    new cloudwatch.Alarm(stack, 'Failed', {
      metric: workflow.metricRolloutsFailed({ period: Duration.minutes(15) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          Expression: 'SUM([phoenix, canary, rollback, restore, replace])',
          ReturnData: true,
        }),
      ]),
    });
  });
});

describe('metricRolloutDuration', () => {
  it('is the longest successful rollout of any action by default', () => {
    const metric = workflow.metricRolloutDuration();
    expect(metric.toMetricConfig().mathExpression?.expression).toBe(
      'MAX([phoenix, canary, rollback, restore, replace])',
    );
    for (const m of Object.values(usedBy(metric))) {
      expect(idOf(m)).toMatchObject({ metricName: 'RolloutDuration', dimensions: { outcome: 'SUCCEEDED' } });
      expect(m.toMetricConfig().metricStat?.statistic).toBe('Maximum');
    }
  });

  it('takes any statistic for one action', () => {
    const outcome: Outcome = 'SUCCEEDED';
    const metric = workflow.metricRolloutDuration({ action: 'phoenix', statistic: 'p90' });
    expect(idOf(metric).dimensions).toEqual({
      service: 'immutable-rollout',
      environment: 'dev',
      action: 'phoenix',
      outcome,
    });
    expect(metric.toMetricConfig().metricStat?.statistic).toBe('p90');
  });

  it('fails when a percentile is combined across actions', () => {
    expect(() => workflow.metricRolloutDuration({ statistic: 'p90' })).toThrow(
      'RolloutDuration across actions can only be combined with statistic Maximum (give an action for another), got p90',
    );
  });
});
