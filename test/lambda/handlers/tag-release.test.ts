import { CreateTagsCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/tag-release';
import { execution, fleet, NEW_AMI, NOW, OLD_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const ec2 = mockClient(EC2Client);

describe('tag-release handler', () => {
  it('reads and writes tags through its EC2 client, stamping the release time', async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: NEW_AMI }, { ImageId: OLD_AMI }] });
    ec2.on(CreateTagsCommand).resolves({});
    await handler({
      settings: settings(),
      execution: execution(),
      before: fleet(),
      after: fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI, releasedAt: NOW.toISOString() }),
    });
    expect(inputsOf(ec2, CreateTagsCommand)[0]).toEqual({
      Resources: [NEW_AMI],
      Tags: [{ Key: 'immutable:released-dev', Value: NOW.toISOString() }],
    });
  });
});
