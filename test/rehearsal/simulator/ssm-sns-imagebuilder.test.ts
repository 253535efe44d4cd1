import { GetImageCommand } from '@aws-sdk/client-imagebuilder';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { FleetSimulator } from '../../../rehearsal/simulator';
import { GONE_AMI, NEW_AMI, OLD_AMI, TOPIC } from './fixtures';
import { clients, rejection, simulate } from './harness';

const RELEASED = '/immutable/dev/released-ami';
const BUILD = 'arn:aws:imagebuilder:eu-west-1:123456789012:image/web/1.1.0/3';

let sim: FleetSimulator;
let uninstall: () => void;
beforeEach(() => ({ sim, uninstall } = simulate()));
afterEach(() => uninstall());

/** Every stored value of a parameter, oldest first. */
const versionsOf = (name: string) => sim.ssm.parameters.get(name)?.map((v) => v.value);

describe('SSM parameters', () => {
  it('overwrites with increasing versions and keeps every version', async () => {
    const put = await clients.ssm.send(
      new PutParameterCommand({ Name: RELEASED, Value: NEW_AMI, Overwrite: true }),
    );
    expect(put.Version).toBe(2);
    const got = await clients.ssm.send(new GetParameterCommand({ Name: RELEASED }));
    expect(got.Parameter).toMatchObject({
      Name: RELEASED,
      Value: NEW_AMI,
      Version: 2,
      Type: 'String',
      DataType: 'aws:ec2:image',
    });
    const first = await clients.ssm.send(new GetParameterCommand({ Name: `${RELEASED}:1` }));
    expect(first.Parameter?.Value).toBe(OLD_AMI);
    expect(versionsOf(RELEASED)).toEqual([OLD_AMI, NEW_AMI]);
    expect(sim.parameter(RELEASED)).toEqual({ value: NEW_AMI });
  });

  it('creates a new parameter without Overwrite, with or without Tags', async () => {
    await clients.ssm.send(
      new PutParameterCommand({ Name: '/immutable/dev/new', Value: 'x', Type: 'String' }),
    );
    await clients.ssm.send(
      new PutParameterCommand({
        Name: '/immutable/dev/tagged',
        Value: 'y',
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    expect(versionsOf('/immutable/dev/new')).toEqual(['x']);
    expect(versionsOf('/immutable/dev/tagged')).toEqual(['y']);
  });

  it('accepts an aws:ec2:image value of a missing AMI but never stores it (AWS validates afterwards)', async () => {
    const put = await clients.ssm.send(
      new PutParameterCommand({ Name: RELEASED, Value: GONE_AMI, Overwrite: true }),
    );
    expect(put.Version).toBe(2);
    expect(versionsOf(RELEASED)).toEqual([OLD_AMI]);
  });

  it.each([
    [
      'the parameter exists and Overwrite is not set',
      { Name: RELEASED, Value: NEW_AMI },
      'ParameterAlreadyExists',
    ],
    [
      'a hierarchical name does not start with /',
      { Name: 'immutable/dev/x', Value: 'v' },
      'ValidationException',
    ],
    [
      'the value is above 4 KB',
      { Name: '/immutable/dev/big', Value: 'x'.repeat(4097) },
      'ValidationException',
    ],
    [
      'Overwrite comes with Tags (an existing parameter)',
      { Name: RELEASED, Value: NEW_AMI, Overwrite: true, Tags: [{ Key: 'owner', Value: 'rollout' }] },
      'ValidationException',
    ],
    [
      'Overwrite comes with Tags (a new parameter)',
      {
        Name: '/immutable/dev/tagged',
        Value: 'v',
        Overwrite: true,
        Tags: [{ Key: 'owner', Value: 'rollout' }],
      },
      'ValidationException',
    ],
    [
      'an aws:ec2:image value is not an AMI id',
      { Name: '/immutable/dev/ami', Value: 'latest', DataType: 'aws:ec2:image' },
      'ValidationException',
    ],
  ])('fails when %s', async (_, input, name) => {
    const error = await rejection(clients.ssm.send(new PutParameterCommand(input)));
    expect(error.name).toBe(name);
    expect(versionsOf(RELEASED)).toEqual([OLD_AMI]);
    expect(versionsOf('/immutable/dev/tagged')).toBeUndefined();
  });

  it('fails when the parameter or the version does not exist', async () => {
    expect((await rejection(clients.ssm.send(new GetParameterCommand({ Name: '/nope' })))).name).toBe(
      'ParameterNotFound',
    );
    expect((await rejection(clients.ssm.send(new GetParameterCommand({ Name: `${RELEASED}:9` })))).name).toBe(
      'ParameterVersionNotFound',
    );
  });
});

describe('SNS', () => {
  it('captures published messages with the simulated time', async () => {
    sim.advance(90);
    await clients.sns.send(
      new PublishCommand({ TopicArn: TOPIC, Subject: 'Rollout succeeded', Message: '{"ok":true}' }),
    );
    await clients.sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'from the state machine' }));
    expect(sim.published).toEqual([
      {
        topicArn: TOPIC,
        subject: 'Rollout succeeded',
        message: '{"ok":true}',
        at: new Date('2030-01-01T00:01:30Z'),
      },
      { topicArn: TOPIC, message: 'from the state machine', at: new Date('2030-01-01T00:01:30Z') },
    ]);
    expect(sim.apiCalls.Publish).toBe(2);
  });

  it.each([
    ['100 characters long', 's'.repeat(100)],
    ['broken by a line feed', 'rollout\nsucceeded'],
    ['holding a control character', 'rollout\u0007succeeded'],
  ])('fails when the subject is %s, or the message is empty', async (_, subject) => {
    const long = await rejection(
      clients.sns.send(new PublishCommand({ TopicArn: TOPIC, Subject: subject, Message: 'm' })),
    );
    expect(long).toMatchObject({ name: 'InvalidParameterException', Code: 'InvalidParameter' });
    const empty = await rejection(clients.sns.send(new PublishCommand({ TopicArn: TOPIC, Message: '' })));
    expect(empty.name).toBe('InvalidParameterException');
    expect(sim.published).toEqual([]);
  });

  it('fails with NotFound when the topic does not exist', async () => {
    const missing = await rejection(
      clients.sns.send(new PublishCommand({ TopicArn: `${TOPIC}-gone`, Message: 'to nobody' })),
    );
    expect(missing).toMatchObject({ name: 'NotFoundException', Code: 'NotFound' });
    expect(sim.published).toEqual([]);
  });

  it('takes a UTF-8 subject of 99 characters', async () => {
    await clients.sns.send(
      new PublishCommand({ TopicArn: TOPIC, Subject: `é${'s'.repeat(98)}`, Message: 'm' }),
    );
    expect(sim.published).toHaveLength(1);
  });
});

describe('Image Builder', () => {
  it('resolves a registered image build version to its AMI', async () => {
    sim.registerImageBuildVersion(BUILD, NEW_AMI, 'AVAILABLE');
    const out = await clients.imageBuilder.send(new GetImageCommand({ imageBuildVersionArn: BUILD }));
    expect(out.image).toMatchObject({
      arn: BUILD,
      state: { status: 'AVAILABLE' },
      outputResources: { amis: [{ region: 'eu-west-1', image: NEW_AMI }] },
    });
  });

  it('fails when the ARN is unknown or not an image build version', async () => {
    expect(
      (await rejection(clients.imageBuilder.send(new GetImageCommand({ imageBuildVersionArn: BUILD })))).name,
    ).toBe('ResourceNotFoundException');
    const malformed = await rejection(
      clients.imageBuilder.send(new GetImageCommand({ imageBuildVersionArn: 'arn:aws:s3:::x' })),
    );
    expect(malformed.name).toBe('InvalidParameterValueException');
  });
});
