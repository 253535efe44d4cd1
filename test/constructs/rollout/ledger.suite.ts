import { Match } from 'aws-cdk-lib/assertions';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { shippedProduct } from '../../support/shipped-product';
import type { TestApp } from '../../support/synth';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];

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

const logicalId = (stack: ImmutableStack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

describe('ledger', () => {
  it.each(ENVS)('%s: a pk/sk table on demand, with point-in-time recovery and no fixed name', (env) => {
    app.template(env).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: Match.absent(),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it.each(ENVS)(
    '%s: outlives the stack but not a failed create; deletion protection follows the configuration',
    (env) => {
      const stack = stacks[env];
      const table = app.template(env).toJSON().Resources[logicalId(stack, stack.rollout.table)] as {
        DeletionPolicy: string;
        UpdateReplacePolicy: string;
        Properties: { Replicas: { DeletionProtectionEnabled?: boolean }[] };
      };
      expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties.Replicas.map((r) => r.DeletionProtectionEnabled)).toEqual([
        stack.config.rollout.ledgerDeletionProtection,
      ]);
    },
  );
});
