import { ImageNotFound, PromotionCancelled } from '../../../lambda/shared/errors';
import type { PromotionSettings } from '../../../lambda/shared/settings';
import {
  PROMOTION_POLL_SECONDS,
  canaryStatus,
  checkStillReleased,
  notifyOutcome,
  requestApproval,
  startCanary,
} from '../../../lambda/promotion/steps';
import { validateRequest } from '../../../lambda/planning/validate-request';
import { FakeExecutions } from '../fakes/executions';
import { FakeImages } from '../fakes/images';
import { FakeLedgerStore } from '../fakes/ledger-store';
import { FakeNotifier } from '../fakes/notifier';
import { FakePromotionStore } from '../fakes/promotion-store';
import { NOW, at } from '../fixtures';

const IMAGE = 'ami-0bbbbbbbbbbbbbbbb';
const ROLLOUT = 'arn:aws:states:eu-west-1:111122223333:stateMachine:immutable-prod-rollout';
const settings: PromotionSettings = {
  environment: 'prod',
  from: 'staging',
  soakMinutes: 240,
  approval: 'manual',
  approvalTimeoutHours: 72,
  table: 'immutable-prod-rollouts',
  rolloutStateMachineArn: ROLLOUT,
  topicArn: 'arn:aws:sns:eu-west-1:111122223333:immutable-prod-rollouts',
};
const promotion = {
  imageId: IMAGE,
  from: 'staging' as const,
  releasedAt: at(-4 * 3600).toISOString(),
  soakUntil: NOW.toISOString(),
  releasedBy: 'arn:aws:states:eu-west-1:111122223333:execution:immutable-staging-rollout:promote-1',
};
const execution = {
  id: 'arn:aws:states:eu-west-1:111122223333:execution:immutable-prod-promotion:promote-x',
  name: 'promote-x',
  startedAt: at(-4 * 3600).toISOString(),
};
const base = { settings, promotion, execution };

let store: FakePromotionStore;
let images: FakeImages;

beforeEach(() => {
  store = new FakePromotionStore();
  images = new FakeImages().put(IMAGE);
});

const released = (imageId = IMAGE, action: 'canary' | 'rollback' = 'canary') =>
  store.recordUpstreamRelease({
    environment: 'staging',
    imageId,
    action,
    releasedAt: promotion.releasedAt,
    execution: 'x',
  });

describe('checkStillReleased', () => {
  it('passes while the image is what staging runs and it exists here', async () => {
    await released();
    expect(await checkStillReleased(base, { store, images, now: NOW })).toEqual({
      checkedAt: NOW.toISOString(),
      releasedUpstreamAt: promotion.releasedAt,
    });
  });

  it('cancels the promotion after a rollback upstream, saying so', async () => {
    await released();
    await released('ami-0aaaaaaaaaaaaaaaa', 'rollback');
    await expect(checkStillReleased(base, { store, images, now: NOW })).rejects.toThrow(
      new PromotionCancelled(
        `staging no longer runs ${IMAGE} (released there at ${promotion.releasedAt}): it rolled back to ami-0aaaaaaaaaaaaaaaa at ${promotion.releasedAt}; prod stays on its own release`,
      ),
    );
  });

  it('cancels the promotion when staging released something newer', async () => {
    await released();
    await released('ami-0cccccccccccccccc');
    await expect(checkStillReleased(base, { store, images, now: NOW })).rejects.toMatchObject({
      name: 'PromotionCancelled',
      message: expect.stringContaining('it released ami-0cccccccccccccccc'),
    });
  });

  it('fails as ImageNotFound when the image was deregistered during the soak', async () => {
    await released();
    images.images.delete(IMAGE);
    await expect(checkStillReleased(base, { store, images, now: NOW })).rejects.toThrow(
      new ImageNotFound(
        `${IMAGE}, released in staging at ${promotion.releasedAt}, does not exist in prod; nothing was started`,
      ),
    );
  });

  it('fails as ImageNotFound when the image is no longer available', async () => {
    await released();
    images.put(IMAGE, { state: 'deregistered' });
    await expect(checkStillReleased(base, { store, images, now: NOW })).rejects.toMatchObject({
      name: 'ImageNotFound',
    });
  });
});

describe('requestApproval', () => {
  it('keeps the token where npm run approve finds it, until the timeout, and notifies with the exact commands', async () => {
    const notifier = new FakeNotifier();
    const r = await requestApproval({ ...base, taskToken: 'token-1' }, { store, notifier, now: NOW });
    const expiresAt = at(72 * 3600).toISOString();
    expect(r).toEqual({ requestedAt: NOW.toISOString(), expiresAt });
    expect(store.approvals.get(IMAGE)).toEqual({
      imageId: IMAGE,
      from: 'staging',
      taskToken: 'token-1',
      execution: execution.id,
      requestedAt: NOW.toISOString(),
      expiresAt,
    });
    expect(notifier.sent).toHaveLength(1);
    const { subject, message } = notifier.sent[0] as { subject: string; message: string };
    expect(subject).toBe(`[prod] approve ${IMAGE} from staging?`);
    expect(message).toContain(`Approve:  npm run approve -- --env prod --image ${IMAGE}`);
    expect(message).toContain(
      `Reject:   npm run approve -- --env prod --image ${IMAGE} --reject --reason "<why>"`,
    );
    expect(message).toContain("aws stepfunctions send-task-success --task-token 'token-1'");
    expect(message).toContain(`Without an answer by ${expiresAt}`);
  });
});

describe('startCanary', () => {
  const rollouts = () => new FakeExecutions(ROLLOUT);

  it('starts a canary of the image with trigger promotion, a valid input', async () => {
    const r = rollouts();
    const ledger = new FakeLedgerStore();
    const started = await startCanary(base, { ledger, rollouts: r, now: NOW });
    expect(started).toEqual({
      started: true,
      attempt: 1,
      executionArn: r.arnOf('promote-x-canary-1'),
      reason: `canary ${r.arnOf('promote-x-canary-1')} started`,
    });
    const input = [...r.executions.values()][0];
    expect(validateRequest(input)).toMatchObject({ action: 'canary', imageId: IMAGE, trigger: 'promotion' });
  });

  it('waits while another rollout holds the fleet, starting nothing', async () => {
    const r = rollouts();
    const ledger = new FakeLedgerStore({
      lock: {
        owner: 'arn:…:execution:phoenix',
        action: 'phoenix',
        acquiredAt: at(-60).toISOString(),
        expiresAt: at(3600).getTime() / 1000,
      },
    });
    expect(await startCanary(base, { ledger, rollouts: r, now: NOW })).toEqual({
      started: false,
      attempt: 0,
      waitSeconds: PROMOTION_POLL_SECONDS,
      reason: `arn:…:execution:phoenix holds the fleet (phoenix since ${at(-60).toISOString()}); trying again in 300 s`,
    });
    expect(r.executions.size).toBe(0);
  });

  it('starts despite an expired lock, and numbers its attempts', async () => {
    const r = rollouts();
    const ledger = new FakeLedgerStore({
      lock: {
        owner: 'old',
        action: 'canary',
        acquiredAt: at(-9000).toISOString(),
        expiresAt: at(-60).getTime() / 1000,
      },
    });
    expect(
      await startCanary({ ...base, canary: { attempt: 1 } }, { ledger, rollouts: r, now: NOW }),
    ).toMatchObject({
      started: true,
      attempt: 2,
    });
    expect([...r.executions.keys()]).toEqual(['promote-x-canary-2']);
  });
});

describe('canaryStatus', () => {
  const started = async () => {
    const r = new FakeExecutions(ROLLOUT);
    await r.start('promote-x-canary-1', {});
    return { r, canary: { executionArn: r.arnOf('promote-x-canary-1') } };
  };

  it('keeps waiting while the canary runs', async () => {
    const { r, canary } = await started();
    expect(await canaryStatus({ ...base, canary }, { rollouts: r })).toEqual({
      done: false,
      waitSeconds: 300,
    });
  });

  it('is done when the canary released the image', async () => {
    const { r, canary } = await started();
    r.views.set(canary.executionArn, { status: 'SUCCEEDED' });
    expect(await canaryStatus({ ...base, canary }, { rollouts: r })).toEqual({
      done: true,
      succeeded: true,
      waitSeconds: 0,
    });
  });

  it('asks to start again when another rollout took the fleet first', async () => {
    const { r, canary } = await started();
    r.views.set(canary.executionArn, { status: 'FAILED', error: 'RolloutInProgress', cause: 'locked' });
    expect(await canaryStatus({ ...base, canary }, { rollouts: r })).toMatchObject({
      done: true,
      succeeded: false,
      retry: true,
    });
  });

  it('reports a failed canary with its error and cause', async () => {
    const { r, canary } = await started();
    r.views.set(canary.executionArn, { status: 'FAILED', error: 'CanaryFailed', cause: 'p99 too high' });
    expect(await canaryStatus({ ...base, canary }, { rollouts: r })).toEqual({
      done: true,
      succeeded: false,
      retry: false,
      error: 'CanaryFailed',
      cause: 'p99 too high',
      waitSeconds: 300,
    });
  });

  it('names a canary stopped or timed out by its status, with a cause the state machine can copy', async () => {
    const { r, canary } = await started();
    r.views.set(canary.executionArn, { status: 'ABORTED' });
    expect(await canaryStatus({ ...base, canary }, { rollouts: r })).toMatchObject({
      error: 'States.ABORTED',
      cause: 'the canary ended ABORTED',
    });
  });
});

describe('notifyOutcome', () => {
  it.each([
    ['ApprovalRejected', 'ApprovalRejected: ops: CVE in libfoo', 'rejected'],
    ['States.Timeout', 'Nobody approved it within 72 hours.', 'not approved in time'],
    ['PromotionCancelled', 'PromotionCancelled: staging rolled back', 'cancelled'],
  ])('says why a promotion ended on %s', async (error, line, word) => {
    const notifier = new FakeNotifier();
    const cause =
      error === 'ApprovalRejected'
        ? 'ops: CVE in libfoo'
        : error === 'PromotionCancelled'
          ? 'staging rolled back'
          : '';
    await notifyOutcome({ ...base, error: { Error: error, Cause: cause } }, { notifier });
    expect(notifier.sent[0]?.subject).toBe(`[prod] promotion of ${IMAGE} from staging: ${word}`);
    expect(notifier.sent[0]?.message).toContain(line);
    expect(notifier.sent[0]?.message).toContain('prod stays on the image it runs');
  });
});
