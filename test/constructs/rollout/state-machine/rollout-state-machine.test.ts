import { Match } from 'aws-cdk-lib/assertions';
import type { ImmutableStack } from '../../../../lib/stacks/immutable-stack';
import { testApp } from '../../../support/synth';
import type { TestApp } from '../../../support/synth';
import { rendered, rolloutDefinition } from '../rollout-template';
import type { AslDefinition, AslState } from '../rollout-template';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];

let app: TestApp;
const stacks = {} as Record<Env, ImmutableStack>;
const defs = {} as Record<Env, AslDefinition>;

beforeAll(() => {
  app = testApp();
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

  it.each(ENVS)("%s: every task invokes one of the rollout's functions or publishes the outcome", (env) => {
    const others = statesOf(defs[env], 'Task').filter(([, s]) => !isLambdaTask(env, s) && !isSnsTask(s));
    expect(others).toEqual([]);
  });

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
