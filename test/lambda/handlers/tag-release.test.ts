import { CreateTagsCommand, DeleteTagsCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/tag-release';
import { execution, fleet, NEW_AMI, NOW, OLD_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const ec2 = mockClient(EC2Client);
const event = () => ({
  settings: settings(),
  execution: execution(),
  before: fleet(),
  after: fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI, releasedAt: NOW.toISOString() }),
});

beforeEach(() => {
  ec2.reset();
  ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: NEW_AMI }, { ImageId: OLD_AMI }] });
  ec2.on(CreateTagsCommand).resolves({});
  ec2.on(DeleteTagsCommand).resolves({});
});

describe('tag-release handler', () => {
  it('tags with its EC2 client, stamping the release time', async () => {
    await handler(event());
    expect(inputsOf(ec2, CreateTagsCommand)[0]?.Tags).toEqual([
      { Key: 'immutable:released-dev', Value: NOW.toISOString() },
    ]);
  });

  it('lets an AWS error through with its name', async () => {
    ec2.on(CreateTagsCommand).rejects(Object.assign(new Error('no'), { name: 'UnauthorizedOperation' }));
    await expect(handler(event())).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  });
});
