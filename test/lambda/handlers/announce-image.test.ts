import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetImageCommand,
  ImagebuilderClient,
  ListImageScanFindingAggregationsCommand,
} from '@aws-sdk/client-imagebuilder';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/announce-image';
import { IMAGE_ARN, imageStateChange } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import { compose } from './compose';

const PIPELINE = 'arn:aws:imagebuilder:us-west-2:111122223333:image-pipeline/immutable-web';
const imagebuilder = mockClient(ImagebuilderClient);
const events = mockClient(EventBridgeClient);

describe('announce-image handler', () => {
  it('announces a build of PIPELINE_ARN with RECIPE_VERSION and SOURCE_REVISION', async () => {
    imagebuilder.on(GetImageCommand).resolves({
      image: {
        sourcePipelineArn: PIPELINE,
        scanState: { status: 'COMPLETED' },
        outputResources: { amis: [{ region: 'us-west-2', image: 'ami-0123456789abcdef0' }] },
      },
    });
    imagebuilder.on(ListImageScanFindingAggregationsCommand).resolves({ responses: [] });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const handler = compose(module, {
      PIPELINE_ARN: PIPELINE,
      RECIPE_VERSION: '1.2.0',
      SOURCE_REVISION: 'abc1234',
    });
    const r = await handler(imageStateChange());
    expect(r).toMatchObject({
      announced: true,
      detail: { recipeVersion: '1.2.0', sourceRevision: 'abc1234' },
    });
    expect(inputsOf(imagebuilder, GetImageCommand)).toEqual([{ imageBuildVersionArn: IMAGE_ARN }]);
    expect(inputsOf(events, PutEventsCommand)).toEqual([
      { Entries: [expect.objectContaining({ Source: 'immutable.images', DetailType: 'Image Available' })] },
    ]);
  });
});
