import { ENVS, resourcesOf, templateOf } from './template-model';
import type { TemplateJson } from './template-model';

/**
 * A deploy must not undo the workflow's sizes: the live colour's minimum and desired capacity.
 *
 * Without IgnoreUnmodifiedGroupSizeProperties, an update of the group resource sets MinSize,
 * MaxSize and DesiredCapacity back to the template's values. The policy is documented for groups
 * with scheduled actions, but what it does is generic: CloudFormation "ignores differences in
 * group size properties between your current Auto Scaling group and the Auto Scaling group
 * described in the ... resource of your template", and applies a size property only when the
 * template changes it; nothing in the documentation makes that depend on a scheduled action (CDK
 * sets it on every AutoScalingGroup for the same reason). So every group carries it, MinSize is a
 * constant the template never changes, and DesiredCapacity is absent, which leaves the desired
 * capacity alone even if the policy were ever not applied ("If you specify a new value for MinSize
 * without specifying a value for DesiredCapacity", desired moves only when outside the bounds).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html#cfn-attributes-updatepolicy-scheduledactions
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html
 */
function sizeFindings(template: TemplateJson): string[] {
  return resourcesOf(template, 'AWS::AutoScaling::AutoScalingGroup').flatMap(([id, group]) => {
    const p = group.Properties ?? {};
    const policy = group.UpdatePolicy?.AutoScalingScheduledAction as
      { IgnoreUnmodifiedGroupSizeProperties?: unknown } | undefined;
    return [
      ...(policy?.IgnoreUnmodifiedGroupSizeProperties === true
        ? []
        : [`${id}: a deploy would reset the runtime sizes (no IgnoreUnmodifiedGroupSizeProperties)`]),
      ...(p.DesiredCapacity === undefined ? [] : [`${id}: sets DesiredCapacity, which the workflow owns`]),
      ...(p.MinSize === '0' ? [] : [`${id}: MinSize ${JSON.stringify(p.MinSize)} is not the constant 0`]),
      ...(typeof p.MaxSize === 'string' && /^\d+$/.test(p.MaxSize)
        ? []
        : [`${id}: MaxSize ${JSON.stringify(p.MaxSize)} is not a constant`]),
    ];
  });
}

describe('group sizes across a deploy', () => {
  it.each(ENVS)('%s: a deploy never resets the sizes the workflow set', (env) => {
    const t = templateOf(env);
    expect(resourcesOf(t, 'AWS::AutoScaling::AutoScalingGroup')).toHaveLength(2);
    expect(sizeFindings(t)).toEqual([]);
  });

  describe('the check itself', () => {
    it('fails when the policy is dropped, or the template takes desired capacity or a runtime minimum', () => {
      const t = templateOf('prod');
      const [[blue, group] = []] = resourcesOf(t, 'AWS::AutoScaling::AutoScalingGroup');
      const g = group as { UpdatePolicy?: unknown; Properties: Record<string, unknown> };
      delete g.UpdatePolicy;
      g.Properties.DesiredCapacity = '6';
      g.Properties.MinSize = { Ref: 'FleetBlueLaunchTemplateVersion' };
      expect(sizeFindings(t)).toEqual([
        `${blue}: a deploy would reset the runtime sizes (no IgnoreUnmodifiedGroupSizeProperties)`,
        `${blue}: sets DesiredCapacity, which the workflow owns`,
        `${blue}: MinSize {"Ref":"FleetBlueLaunchTemplateVersion"} is not the constant 0`,
      ]);
    });
  });
});
