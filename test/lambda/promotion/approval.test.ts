import { decideApproval } from '../../../lambda/promotion/approval';
import { NoPendingApproval } from '../../../lambda/shared/errors';
import { FakePromotionStore } from '../fakes/promotion-store';
import { FakeTaskTokens } from '../fakes/task-tokens';
import { NOW, at } from '../fixtures';

const IMAGE = 'ami-0bbbbbbbbbbbbbbbb';
const EXECUTION = 'arn:aws:states:eu-west-1:111122223333:execution:immutable-prod-promotion:promote-x';

let store: FakePromotionStore;
let tokens: FakeTaskTokens;

beforeEach(() => {
  store = new FakePromotionStore();
  tokens = new FakeTaskTokens();
});

async function asked(expiresAt = at(3600).toISOString()) {
  tokens.waiting.add('token-1');
  await store.putApproval({
    imageId: IMAGE,
    from: 'staging',
    taskToken: 'token-1',
    execution: EXECUTION,
    requestedAt: at(-60).toISOString(),
    expiresAt,
  });
}
const decide = (decision: 'approve' | 'reject', now = NOW) =>
  decideApproval(
    { environment: 'prod', imageId: IMAGE, decision, by: 'alice', reason: 'CVE in libfoo' },
    { store, tokens, now },
  );

describe('decideApproval', () => {
  it('approves a waiting promotion: resumes it and forgets the request', async () => {
    await asked();
    expect(await decide('approve')).toEqual({ decided: 'approve', execution: EXECUTION });
    expect(tokens.answers).toEqual([
      { token: 'token-1', output: { decision: 'approve', by: 'alice', at: NOW.toISOString() } },
    ]);
    expect(store.approvals.size).toBe(0);
  });

  it('rejects a waiting promotion with ApprovalRejected and the reason', async () => {
    await asked();
    await decide('reject');
    expect(tokens.answers).toEqual([
      {
        token: 'token-1',
        error: 'ApprovalRejected',
        cause: `alice rejected ${IMAGE} for prod: CVE in libfoo`,
      },
    ]);
    expect(store.approvals.size).toBe(0);
  });

  it('refuses an approval given before the promotion asks for one, and remembers nothing', async () => {
    await expect(decide('approve')).rejects.toThrow(
      new NoPendingApproval(
        `no promotion of ${IMAGE} is waiting for approval in prod, so nothing was approved: an approval is only accepted once the promotion asks for one, after its soak (none is waiting)`,
      ),
    );
    expect(tokens.answers).toEqual([]);
    // asked later, the earlier approval does not count: it still waits
    await asked();
    expect(store.approvals.has(IMAGE)).toBe(true);
    expect(tokens.waiting.has('token-1')).toBe(true);
  });

  it('names the promotions that do wait when asked about another image', async () => {
    await asked();
    await expect(
      decideApproval(
        { environment: 'prod', imageId: 'ami-0cccccccccccccccc', decision: 'approve', by: 'alice' },
        { store, tokens, now: NOW },
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining(`waiting: ${IMAGE} (from staging, until ${at(3600).toISOString()})`),
    });
  });

  it('refuses an expired request and forgets it', async () => {
    await asked(at(-1).toISOString());
    await expect(decide('approve')).rejects.toMatchObject({
      name: 'NoPendingApproval',
      message: expect.stringContaining('expired'),
    });
    expect(tokens.answers).toEqual([]);
    expect(store.approvals.size).toBe(0);
  });

  it('refuses, and forgets the request, when the promotion stopped waiting meanwhile (TaskTimedOut)', async () => {
    await asked();
    tokens.waiting.clear();
    await expect(decide('approve')).rejects.toMatchObject({
      name: 'NoPendingApproval',
      message: expect.stringContaining('no longer waits for approval (TaskTimedOut)'),
    });
    expect(store.approvals.size).toBe(0);
  });

  it('lets any other error through, keeping the request', async () => {
    await asked();
    tokens.failures.on('succeed', Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(decide('approve')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(store.approvals.has(IMAGE)).toBe(true);
  });
});
