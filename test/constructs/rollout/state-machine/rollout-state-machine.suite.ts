import { Match } from 'aws-cdk-lib/assertions';
import type { ImmutableStack } from '../../../../lib/stacks/immutable-stack';
import { shippedProduct } from '../../../support/shipped-product';
import type { TestApp } from '../../../support/synth';
import { rendered, rolloutDefinition } from '../rollout-template';
import type { AslDefinition, AslState } from '../rollout-template';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];

let app: TestApp;
const stacks = {} as Record<Env, ImmutableStack>;
const defs = {} as Record<Env, AslDefinition>;

beforeAll(() => {
  app = shippedProduct();
  for (const env of ENVS) {
    const stack = app.stack(env);
    stacks[env] = stack;
    defs[env] = rolloutDefinition(stack, app.template(env));
  }
});
afterAll(() => app.cleanup());

const statesOf = (def: AslDefinition, type?: string): [string, AslState][] =>
  Object.entries(def.States).filter(([, s]) => type === undefined || s.Type === type);
const SNS_PUBLISH = 'arn:${AWS::Partition}:states:::sns:publish';
const SDK = 'arn:${AWS::Partition}:states:::aws-sdk:';
const isSnsTask = (s: AslState) => s.Type === 'Task' && s.Resource === SNS_PUBLISH;
/** Lambda tasks name their function directly (payloadResponseOnly). */
const functionArns = (env: Env) =>
  new Set(stacks[env].rollout.functions.all().map((fn) => rendered(stacks[env], fn.functionArn)));
const isLambdaTask = (env: Env, s: AslState) =>
  s.Type === 'Task' && functionArns(env).has(String(s.Resource));

describe('state machine resource', () => {
  it.each(ENVS)('%s: a STANDARD state machine with tracing and full logging', (env) => {
    const stack = stacks[env];
    app.template(env).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `immutable-${env}-rollout`,
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: {
                'Fn::GetAtt': [Match.stringLikeRegexp('^RolloutExecutionLogs'), 'Arn'],
              },
            },
          },
        ],
      },
      RoleArn: {
        'Fn::GetAtt': [stack.getLogicalId(stack.rollout.stateMachine.role.node.defaultChild as never), 'Arn'],
      },
    });
  });

  it.each(ENVS)(
    "%s: every task invokes one of the rollout's functions, publishes the outcome, or takes the way back",
    (env) => {
      const others = statesOf(defs[env], 'Task').filter(([, s]) => !isLambdaTask(env, s) && !isSnsTask(s));
      expect(others.map(([name, s]) => [name, s.Resource])).toEqual([
        ['All Traffic To Blue', `${SDK}elasticloadbalancingv2:modifyListener`],
        ['All Traffic To Green', `${SDK}elasticloadbalancingv2:modifyListener`],
        ['Scale Blue Canary To Zero', `${SDK}autoscaling:updateAutoScalingGroup`],
        ['Scale Green Canary To Zero', `${SDK}autoscaling:updateAutoScalingGroup`],
      ]);
    },
  );

  it.each(ENVS)(
    "%s: every Lambda task outwaits its function's timeout and retries a function timeout",
    (env) => {
      const timeouts = new Map(
        stacks[env].rollout.functions.all().map((fn) => [
          rendered(stacks[env], fn.functionArn),
          Number(
            (
              app.template(env).toJSON().Resources[
                stacks[env].getLogicalId(fn.node.defaultChild as never)
              ] as {
                Properties: { Timeout: number };
              }
            ).Properties.Timeout,
          ),
        ]),
      );
      const tasks = statesOf(defs[env], 'Task').filter(([, s]) => isLambdaTask(env, s));
      expect(tasks.length).toBeGreaterThan(10);
      for (const [name, task] of tasks) {
        const fn = timeouts.get(String(task.Resource)) ?? Infinity;
        expect([name, Number(task.TimeoutSeconds) > fn]).toEqual([name, true]);
        expect([name, task.Retry?.some((r) => r.ErrorEquals.includes('Sandbox.Timedout'))]).toEqual([
          name,
          true,
        ]);
      }
    },
  );

  it.each(ENVS)('%s: times out after rollout.timeoutMinutes', (env) => {
    expect(defs[env].TimeoutSeconds).toBe(stacks[env].config.rollout.timeoutMinutes * 60);
  });

  it.each(ENVS)("%s: keeps its execution logs for the environment's fleet.logRetentionDays", (env) => {
    const logs = app.template(env).findResources('AWS::Logs::LogGroup');
    const execution = Object.entries(logs).filter(([id]) => id.startsWith('RolloutExecutionLogs'));
    expect(execution).toHaveLength(1);
    expect(execution[0]?.[1]).toMatchObject({
      Properties: { RetentionInDays: stacks[env].config.fleet.logRetentionDays },
    });
  });
});
