import { topologyOf } from '../../lib/topology';
import type { TopologyInput } from '../../lib/topology';

/** Plain objects in, plain objects out: the topology needs no CDK and no full configuration. */

const TOOLING = '111111111111';
const NONPROD = '222222222222';
const PROD_EU = '333333333333';
const PROD_US = '444444444444';
const bus = (account: string, region: string) => `arn:aws:events:${region}:${account}:event-bus/default`;
const releases = (from: string, soakMinutes: number, approval: 'automatic' | 'manual') => ({
  from,
  soakMinutes,
  approval,
});

/** qa and uat share the non-production account; prod-eu and prod-us both take uat's releases. */
const fourAccounts: TopologyInput = {
  imageFactory: { account: TOOLING, region: 'eu-west-1' },
  environments: [
    { name: 'qa', account: NONPROD, region: 'eu-west-1', promotion: { from: 'image-factory' } },
    { name: 'uat', account: NONPROD, region: 'eu-west-1', promotion: releases('qa', 60, 'automatic') },
    { name: 'prod-eu', account: PROD_EU, region: 'eu-west-1', promotion: releases('uat', 240, 'manual') },
    { name: 'prod-us', account: PROD_US, region: 'us-east-1', promotion: releases('uat', 480, 'manual') },
  ],
};

/** The shipped shape: nothing pinned, one chain. */
const unpinned: TopologyInput = {
  imageFactory: {},
  environments: [
    { name: 'dev', promotion: { from: 'image-factory' } },
    { name: 'staging', promotion: releases('dev', 60, 'automatic') },
    { name: 'prod', promotion: releases('staging', 240, 'manual') },
  ],
};

const environment = (input: TopologyInput, name: string) => {
  const found = topologyOf(input).environments.find((e) => e.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

describe('who takes whose images', () => {
  it('gives each environment its upstream and, with soak and approval, its downstream environments', () => {
    const t = topologyOf(fourAccounts);
    expect(
      t.environments.map((e) => ({
        name: e.name,
        upstream: e.upstream?.environment ?? 'image-factory',
        downstream: e.downstream,
      })),
    ).toEqual([
      {
        name: 'qa',
        upstream: 'image-factory',
        downstream: [{ environment: 'uat', soakMinutes: 60, approval: 'automatic' }],
      },
      {
        name: 'uat',
        upstream: 'qa',
        downstream: [
          { environment: 'prod-eu', soakMinutes: 240, approval: 'manual' },
          { environment: 'prod-us', soakMinutes: 480, approval: 'manual' },
        ],
      },
      { name: 'prod-eu', upstream: 'uat', downstream: [] },
      { name: 'prod-us', upstream: 'uat', downstream: [] },
    ]);
    expect(environment(fourAccounts, 'uat').upstream?.place).toEqual({
      account: NONPROD,
      region: 'eu-west-1',
    });
  });

  it('knows each environment’s account, and none where nothing is pinned', () => {
    expect(topologyOf(fourAccounts).accounts).toEqual({
      qa: NONPROD,
      uat: NONPROD,
      'prod-eu': PROD_EU,
      'prod-us': PROD_US,
    });
    expect(topologyOf(unpinned).accounts).toEqual({ dev: undefined, staging: undefined, prod: undefined });
  });
});

describe('what crosses to another bus', () => {
  it('in one account and region: nothing is forwarded and no bus admits anyone', () => {
    const t = topologyOf(unpinned);
    expect([t.imageFactory, ...t.environments].map((r) => [r.forwards, r.admits])).toEqual([
      [[], []],
      [[], []],
      [[], []],
      [[], []],
    ]);
    expect(t.distribution).toEqual([]);
  });

  it('the factory announces each image once per bus, to every environment elsewhere', () => {
    expect(topologyOf(fourAccounts).imageFactory.forwards).toEqual([
      { event: 'imageAvailable', bus: bus(NONPROD, 'eu-west-1'), to: ['qa', 'uat'] },
      { event: 'imageAvailable', bus: bus(PROD_EU, 'eu-west-1'), to: ['prod-eu'] },
      { event: 'imageAvailable', bus: bus(PROD_US, 'us-east-1'), to: ['prod-us'] },
    ]);
  });

  it('an environment forwards its releases to the downstream and the factory buses it does not share', () => {
    expect(environment(fourAccounts, 'qa').forwards).toEqual([
      // uat reads qa's own bus: only the factory's is elsewhere
      { event: 'imageReleased', bus: bus(TOOLING, 'eu-west-1'), to: ['image-factory'] },
    ]);
    expect(environment(fourAccounts, 'uat').forwards).toEqual([
      { event: 'imageReleased', bus: bus(PROD_EU, 'eu-west-1'), to: ['prod-eu'] },
      { event: 'imageReleased', bus: bus(PROD_US, 'us-east-1'), to: ['prod-us'] },
      { event: 'imageReleased', bus: bus(TOOLING, 'eu-west-1'), to: ['image-factory'] },
    ]);
    expect(environment(fourAccounts, 'prod-us').forwards).toEqual([
      { event: 'imageReleased', bus: bus(TOOLING, 'eu-west-1'), to: ['image-factory'] },
    ]);
  });

  it('a downstream environment on the factory’s bus gets one forward, for both', () => {
    const sharing: TopologyInput = {
      imageFactory: { account: TOOLING, region: 'eu-west-1' },
      environments: [
        { name: 'dev', account: NONPROD, region: 'eu-west-1', promotion: { from: 'image-factory' } },
        { name: 'tools', account: TOOLING, region: 'eu-west-1', promotion: releases('dev', 0, 'automatic') },
      ],
    };
    expect(environment(sharing, 'dev').forwards).toEqual([
      { event: 'imageReleased', bus: bus(TOOLING, 'eu-west-1'), to: ['tools', 'image-factory'] },
    ]);
    // on the factory's own bus: nothing crosses between them
    expect(environment(sharing, 'tools').forwards).toEqual([]);
    expect(environment(sharing, 'tools').admits).toEqual([NONPROD]);
  });

  it('each bus admits exactly the other accounts whose forwards reach it', () => {
    const t = topologyOf(fourAccounts);
    expect(t.imageFactory.admits).toEqual([NONPROD, PROD_EU, PROD_US]);
    expect(t.environments.map((e) => [e.name, e.admits])).toEqual([
      ['qa', [TOOLING]],
      // qa's releases stay on the account's own bus
      ['uat', [TOOLING]],
      ['prod-eu', [TOOLING, NONPROD]],
      ['prod-us', [TOOLING, NONPROD]],
    ]);
  });

  it('a bus in another region of its own account admits nobody: the forwarding role’s policy suffices', () => {
    const regions: TopologyInput = {
      imageFactory: { account: TOOLING, region: 'eu-west-1' },
      environments: [
        { name: 'dev', account: TOOLING, region: 'us-east-1', promotion: { from: 'image-factory' } },
      ],
    };
    const t = topologyOf(regions);
    expect(t.imageFactory.forwards).toEqual([
      { event: 'imageAvailable', bus: bus(TOOLING, 'us-east-1'), to: ['dev'] },
    ]);
    expect([t.imageFactory.admits, environment(regions, 'dev').admits]).toEqual([[], []]);
    // the AMI is copied there, launched by its own account
    expect(t.distribution).toEqual([{ region: 'us-east-1', accountIds: [] }]);
  });
});

describe('where the factory distributes its images', () => {
  it('to each region an environment runs in, launchable by the accounts there other than its own', () => {
    expect(topologyOf(fourAccounts).distribution).toEqual([
      { region: 'eu-west-1', accountIds: [NONPROD, PROD_EU] },
      { region: 'us-east-1', accountIds: [PROD_US] },
    ]);
  });
});
