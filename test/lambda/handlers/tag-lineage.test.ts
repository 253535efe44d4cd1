import { CreateTagsCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/tag-lineage';
import { imageReleased } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import { compose } from './compose';

const ec2 = mockClient(EC2Client);
const NEW = 'ami-0bbbbbbbbbbbbbbbb';

describe('tag-lineage handler', () => {
  it('tags with the EC2 client of the region the release happened in, trusting ENVIRONMENT_ACCOUNTS', async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: NEW, Tags: [] }] });
    ec2.on(CreateTagsCommand).resolves({});
    const handler = compose(module, { ENVIRONMENT_ACCOUNTS: JSON.stringify({ dev: '222233334444' }) });
    const r = await handler(imageReleased({ previousImage: undefined }));
    expect(r).toMatchObject({ environment: 'dev', stamped: NEW });
    expect(inputsOf(ec2, CreateTagsCommand)).toContainEqual({
      Resources: [NEW],
      Tags: [{ Key: 'immutable:released-dev', Value: '2026-03-02T09:30:00.000Z' }],
    });
  });

  it.each([{ dev: '2222' }, { 'Not An Environment': '222233334444' }, ['222233334444']])(
    'refuses ENVIRONMENT_ACCOUNTS that map anything but environments to accounts: %j',
    (accounts) => {
      expect(() => compose(module, { ENVIRONMENT_ACCOUNTS: JSON.stringify(accounts) })).toThrow(
        'ENVIRONMENT_ACCOUNTS must map environments to 12-digit accounts',
      );
    },
  );
});
