import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { EventBridgeEvents } from '../aws/eventbridge';
import { ImageBuilderApi } from '../aws/imagebuilder';
import { announceImage } from '../factory/announce-image';
import { logger } from '../runtime/handler';
import { checkAtColdStart, fromEnvironment } from '../runtime/env';

const imageBuilder = new ImageBuilderApi(new ImagebuilderClient({}));
const events = new EventBridgeEvents(new EventBridgeClient({}));
const deps = fromEnvironment(['PIPELINE_ARN', 'RECIPE_VERSION', 'SOURCE_REVISION'], (env) => ({
  imageBuilder,
  events,
  pipelineArn: env.PIPELINE_ARN ?? '',
  recipeVersion: env.RECIPE_VERSION ?? '',
  sourceRevision: env.SOURCE_REVISION ?? '',
}));
checkAtColdStart(deps);

/** EventBridge → a build of the factory's pipeline is AVAILABLE → announce it to every environment. */
export const handler = async (event: unknown) => {
  // The event crosses a trust boundary: announceImage parses it with its schema first.
  const result = await announceImage(event, deps());
  logger.info(result.announced ? 'image announced' : 'image not announced', result);
  return result;
};
