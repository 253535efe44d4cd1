import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import * as announceImage from '../lambda/handlers/announce-image';
import * as announceRelease from '../lambda/handlers/announce-release';
import * as checkCanary from '../lambda/handlers/check-canary';
import * as checkFleet from '../lambda/handlers/check-fleet';
import * as checkRefresh from '../lambda/handlers/check-refresh';
import * as judgeCanary from '../lambda/handlers/judge-canary';
import * as ledger from '../lambda/handlers/ledger';
import * as onImageAvailable from '../lambda/handlers/on-image-available';
import * as onInteractiveAccess from '../lambda/handlers/on-interactive-access';
import * as onUpstreamRelease from '../lambda/handlers/on-upstream-release';
import * as planRollout from '../lambda/handlers/plan-rollout';
import * as prepareCanary from '../lambda/handlers/prepare-canary';
import * as promotion from '../lambda/handlers/promotion';
import * as releaseAbandonedLock from '../lambda/handlers/release-abandoned-lock';
import * as replaceInstances from '../lambda/handlers/replace-instances';
import * as restoreSafeState from '../lambda/handlers/restore-safe-state';
import * as retireColour from '../lambda/handlers/retire-colour';
import * as shiftTraffic from '../lambda/handlers/shift-traffic';
import * as startRefresh from '../lambda/handlers/start-refresh';
import * as tagLineage from '../lambda/handlers/tag-lineage';
import * as validateInput from '../lambda/handlers/validate-input';
import type { Clock, HandlerModule, Variables } from '../lambda/runtime/composition';

/** Every SDK client a deployed handler may ask for: each module's `create` takes the ones it needs. */
export interface RehearsalClients {
  readonly autoScaling: AutoScalingClient;
  readonly ec2: EC2Client;
  readonly ec2In: (region: string) => EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly cloudWatch: CloudWatchClient;
  readonly dynamodb: DynamoDBClient;
  readonly ssm: SSMClient;
  readonly sns: SNSClient;
  readonly sfn: SFNClient;
  readonly events: EventBridgeClient;
  readonly imageBuilder: ImagebuilderClient;
}

/** A deployed handler as its module builds it: from a function's variables, clients and clock. */
type Module = HandlerModule<never, RehearsalClients, never, unknown>;

const asModule = (m: { configure: unknown; create: unknown }) => m as unknown as Module;

/**
 * The deployed handler modules, by handler name (the `immutable:handler` metadata on each
 * function): the rehearsal builds each function's handler with the module's own `configure` and
 * `create`, the function's variables as deployed, and its own clients and clock.
 */
const MODULES: Record<string, Module> = {
  'validate-input': asModule(validateInput),
  ledger: asModule(ledger),
  'plan-rollout': asModule(planRollout),
  'restore-safe-state': asModule(restoreSafeState),
  'start-refresh': asModule(startRefresh),
  'check-refresh': asModule(checkRefresh),
  'prepare-canary': asModule(prepareCanary),
  'check-canary': asModule(checkCanary),
  'shift-traffic': asModule(shiftTraffic),
  'judge-canary': asModule(judgeCanary),
  'announce-release': asModule(announceRelease),
  'retire-colour': asModule(retireColour),
  'replace-instances': asModule(replaceInstances),
  promotion: asModule(promotion),
  'on-image-available': asModule(onImageAvailable),
  'on-upstream-release': asModule(onUpstreamRelease),
  'release-abandoned-lock': asModule(releaseAbandonedLock),
  'on-interactive-access': asModule(onInteractiveAccess),
  'check-fleet': asModule(checkFleet),
  'announce-image': asModule(announceImage),
  'tag-lineage': asModule(tagLineage),
};

/** Whether the rehearsal knows the deployed handler `name`. */
export const isDeployedHandler = (name: string): boolean => name in MODULES;

/** A built handler: what an invocation of the function runs. */
export type BuiltHandler = (event: unknown) => Promise<unknown>;

/**
 * The handler `name` as deployed with `variables`, on `clients` and `clock`. Its configuration is
 * parsed here, once, as a cold start would: a function deployed without what it needs fails now.
 */
export function buildHandler(
  name: string,
  variables: Variables,
  clients: RehearsalClients,
  clock: Clock,
): BuiltHandler {
  const module = MODULES[name];
  if (!module) throw new Error(`the rehearsal does not know the deployed handler ${name}`);
  const create = module.create as (parts: {
    config: unknown;
    clients: RehearsalClients;
    clock: Clock;
  }) => BuiltHandler;
  return create({ config: (module.configure as (v: Variables) => unknown)(variables), clients, clock });
}

/** SDK clients for `region`, each answered by whatever serves their `send`. */
export function sdkClients(region: string): RehearsalClients {
  const config = { region, credentials: { accessKeyId: 'rehearsal', secretAccessKey: 'rehearsal' } };
  return {
    autoScaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    ec2In: (r) => new EC2Client({ ...config, region: r }),
    elbv2: new ElasticLoadBalancingV2Client(config),
    cloudWatch: new CloudWatchClient(config),
    dynamodb: new DynamoDBClient(config),
    ssm: new SSMClient(config),
    sns: new SNSClient(config),
    sfn: new SFNClient(config),
    events: new EventBridgeClient(config),
    imageBuilder: new ImagebuilderClient(config),
  };
}
