import { DeleteItemCommand, DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../tools/approve/cli';
import { deployedPromotion } from '../../tools/approve/approve';
import { inputsOf } from '../lambda/sdk-mocks';

const sfn = mockClient(SFNClient);
const db = mockClient(DynamoDBClient);
const ssm = mockClient(SSMClient);

const TABLE = 'Immutable-prod-RolloutLedger-1A2B3C';
const PROMOTION = 'arn:aws:states:eu-west-1:444455556666:stateMachine:immutable-prod-promotion';
const IMAGE = 'ami-0bbbbbbbbbbbbbbbb';
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAWY3';
const pending = {
  imageId: IMAGE,
  from: 'staging',
  taskToken: TOKEN,
  execution: `${PROMOTION.replace(':stateMachine:', ':execution:')}:promote-1`,
  requestedAt: '2026-03-02T10:00:00.000Z',
  expiresAt: '2099-03-05T10:00:00.000Z',
};
const doc = (o: object) => ({ S: JSON.stringify(o) });

/** The deployed environment, as its stack describes it: its promotion and the table it uses. */
function deployed(settings: object = { table: TABLE, environment: 'prod' }) {
  ssm.on(GetParameterCommand, { Name: '/immutable/prod/deployment' }).resolves({
    Parameter: {
      Value: JSON.stringify({
        settings: { groups: { blue: 'immutable-prod-blue', green: 'immutable-prod-green' } },
        rolloutStateMachineArn: 'arn:r',
        promotion: { ...settings, stateMachineArn: PROMOTION },
      }),
    },
  });
}

/** Runs the CLI, capturing what it prints. */
async function approve(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    (l) => out.push(l),
    (l) => err.push(l),
  ).catch((e: Error) => {
    err.push(e.message);
    return 1;
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeEach(() => {
  sfn.reset();
  db.reset();
  ssm.reset();
});

describe('npm run approve', () => {
  it('approves the waiting promotion with its task token, in the table the deployed promotion names', async () => {
    deployed();
    db.on(GetItemCommand).resolves({ Item: { doc: doc(pending) } });
    db.on(DeleteItemCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});
    const r = await approve('--env', 'prod', '--image', IMAGE, '--by', 'alice');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain(`approved ${IMAGE} for prod`);
    expect(inputsOf(sfn, SendTaskSuccessCommand)).toEqual([
      { taskToken: TOKEN, output: expect.stringContaining('"by":"alice"') as unknown },
    ]);
    expect(inputsOf(db, GetItemCommand)[0]).toMatchObject({
      TableName: TABLE,
      Key: { pk: { S: 'approval' }, sk: { S: IMAGE } },
    });
    expect(inputsOf(db, DeleteItemCommand)).toEqual([expect.objectContaining({ TableName: TABLE })]);
  });

  it('rejects with the reason, which ends the promotion as ApprovalRejected', async () => {
    deployed();
    db.on(GetItemCommand).resolves({ Item: { doc: doc(pending) } });
    db.on(DeleteItemCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    const r = await approve(
      '--env',
      'prod',
      '--image',
      IMAGE,
      '--reject',
      '--reason',
      'change freeze',
      '--by',
      'bob',
    );
    expect(r.code).toBe(0);
    expect(inputsOf(sfn, SendTaskFailureCommand)).toEqual([
      {
        taskToken: TOKEN,
        error: 'ApprovalRejected',
        cause: expect.stringContaining('change freeze') as unknown,
      },
    ]);
  });

  it('refuses an approval nobody asked for yet, saying what is waiting, and sends nothing', async () => {
    deployed();
    db.on(GetItemCommand).resolves({});
    db.on(QueryCommand).resolves({ Items: [] });
    const r = await approve('--env', 'prod', '--image', IMAGE);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `no promotion of ${IMAGE} is waiting for approval in prod, so nothing was approved`,
    );
    expect(inputsOf(sfn, SendTaskSuccessCommand)).toEqual([]);
  });

  it('refuses an answer to a promotion that stopped waiting (timed out) and forgets its request', async () => {
    deployed();
    db.on(GetItemCommand).resolves({ Item: { doc: doc(pending) } });
    db.on(DeleteItemCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    const r = await approve('--env', 'prod', '--image', IMAGE);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no longer waits for approval (TaskTimedOut); nothing was approved');
    expect(inputsOf(db, DeleteItemCommand)).toHaveLength(1);
  });

  it('lists what waits for approval', async () => {
    deployed();
    db.on(QueryCommand).resolves({ Items: [{ doc: doc(pending) }] });
    const r = await approve('--env', 'prod', '--list');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${IMAGE}  from staging, asked 2026-03-02T10:00:00.000Z`);
    expect(inputsOf(db, QueryCommand)).toEqual([expect.objectContaining({ TableName: TABLE })]);
  });

  it.each([
    [['--env', 'qa', '--image', IMAGE], '--env must be one of dev, staging, prod, got "qa"'],
    [['--env', 'prod'], '--image must be the AMI id the notification names'],
    [['--env', 'prod', '--image', 'ami-nope'], 'got "ami-nope"'],
    [['--env', 'prod', '--image', IMAGE, '--reject'], '--reject needs --reason'],
    [['--env', 'prod', '--image', IMAGE, '--reason', 'x'], '--reason goes with --reject only'],
    [['--env', 'prod', '--imag', IMAGE], "Unknown option '--imag'"],
  ])('refuses %j with a usage error naming the flag, calling nothing', async (args, message) => {
    const r = await approve(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(sfn.calls()).toHaveLength(0);
    expect(db.calls()).toHaveLength(0);
  });

  it('says which environment takes no promotions: its deployment has none', async () => {
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Value: JSON.stringify({ settings: { groups: {} }, rolloutStateMachineArn: 'arn:r' }) },
    });
    await expect(deployedPromotion(new SSMClient({}), 'dev')).rejects.toThrow(
      "dev takes no promotions: it takes the image factory's images",
    );
  });

  it('says where it looked when the environment is not deployed there', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('nope'), { name: 'ParameterNotFound' }));
    await expect(deployedPromotion(new SSMClient({}), 'prod')).rejects.toThrow(
      'no parameter /immutable/prod/deployment in this account and region: is prod deployed here?',
    );
  });
});
