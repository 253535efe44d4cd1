import { rmSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { formerLogicalId } from '../../lib/stacks/moved-constructs';
import type { Move } from '../../lib/stacks/moved-constructs';
import { scratchDir } from '../support/synth';

const outdir = scratchDir();
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** A stack whose constructs may have moved. */
class MovingStack extends Stack {
  constructor(
    scope: Construct,
    id: string,
    private readonly moves: readonly Move[],
  ) {
    super(scope, id);
  }

  protected override allocateLogicalId(element: CfnElement): string {
    return formerLogicalId(this, element, this.moves) ?? super.allocateLogicalId(element);
  }
}

/** A queue, and two security groups with a rule between them, built where `layout` says. */
function synth(moves: readonly Move[], layout: 'before' | 'after'): Record<string, { Type: string }> {
  const stack = new MovingStack(new App({ outdir }), 'Probe', moves);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
  const home =
    layout === 'before' ? new Construct(stack, 'Old') : new Construct(new Construct(stack, 'New'), 'Inner');
  new sqs.Queue(home, 'Queue');
  const endpoints = new ec2.SecurityGroup(home, 'Endpoints', { vpc, allowAllOutbound: false });
  const instances = new ec2.SecurityGroup(stack, 'Instances', { vpc, allowAllOutbound: false });
  instances.connections.allowTo(endpoints, ec2.Port.tcp(443));
  return Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
}

describe('moved constructs', () => {
  const before = synth([], 'before');

  it('keep the logical ids their resources had, and so do rules named after them', () => {
    const after = synth([{ now: 'New/Inner', then: 'Old' }], 'after');
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  });

  it('fails when the move is not recorded: the queue, the group and both rules get new ids', () => {
    const after = synth([], 'after');
    const changed = Object.keys(before).filter((id) => !(id in after));
    expect(changed.map((id) => before[id]?.Type).sort()).toEqual([
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::SecurityGroupEgress',
      'AWS::EC2::SecurityGroupIngress',
      'AWS::SQS::Queue',
    ]);
  });
});
