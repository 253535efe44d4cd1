import type { StubTarget } from './sdk-routes';

/**
 * One fleet as the account and region that holds it sees it: the calls it answers for its own
 * groups, instances, launch templates, listeners and alarms, and how to tell which those are.
 */
export interface ResidentFleet extends Pick<StubTarget, 'autoScaling' | 'ec2' | 'elbv2' | 'cloudWatch'> {
  ownsGroup(name: string): boolean;
  ownsInstance(id: string): boolean;
  ownsLaunchTemplate(id: string | undefined, name: string | undefined): boolean;
  ownsListener(arn: string): boolean;
  ownsTargetGroup(arn: string): boolean;
  ownsMetricDimension(value: string): boolean;
  /** Lets pending instance launches and health changes happen, then publishes what changed. */
  settleAndNotify(): void;
}
