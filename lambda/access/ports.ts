/**
 * What answering interactive access asks of AWS: the fleet's groups and instances
 * (lambda/fleet/ports.ts), the instances' tags, the lock's holder (lambda/ledger/ports.ts),
 * starting the workflow (lambda/triggers/ports.ts) and the notification topic
 * (lambda/promotion/ports.ts). lambda/aws/ implements them with the AWS SDK; the domain's tests
 * use in-memory fakes.
 */
export type { FleetGroups, InstanceDetails, InstanceTagger } from '../fleet/ports';
export type { LedgerStore, LockHolder } from '../ledger/ports';
export type { Executions } from '../triggers/ports';
export type { Notifier } from '../promotion/ports';
