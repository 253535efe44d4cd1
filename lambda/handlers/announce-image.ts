import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { EventBridgeEvents } from '../aws/eventbridge';
import { ImageBuilderApi } from '../aws/imagebuilder';
import { announceImage } from '../factory/announce-image';
import { deployedHandler, required } from '../runtime/composition';
import type { Composition, Variables } from '../runtime/composition';
import { logger } from '../runtime/handler';

export interface AnnounceImageConfig {
  readonly pipelineArn: string;
  readonly recipeVersion: string;
  readonly sourceRevision: string;
}

export const configure = (variables: Variables): AnnounceImageConfig => ({
  pipelineArn: required(variables, 'PIPELINE_ARN'),
  recipeVersion: required(variables, 'RECIPE_VERSION'),
  sourceRevision: required(variables, 'SOURCE_REVISION'),
});

/** EventBridge → a build of the factory's pipeline is AVAILABLE → announce it to every environment. */
export function create({
  config,
  clients,
}: Composition<AnnounceImageConfig, { imageBuilder: ImagebuilderClient; events: EventBridgeClient }>) {
  const deps = {
    ...config,
    imageBuilder: new ImageBuilderApi(clients.imageBuilder),
    events: new EventBridgeEvents(clients.events),
  };
  return async (event: unknown) => {
    // The event crosses a trust boundary: announceImage parses it with its schema first.
    const result = await announceImage(event, deps);
    logger.info(result.announced ? 'image announced' : 'image not announced', result);
    return result;
  };
}

export const handler = deployedHandler({ configure, create }, () => ({
  imageBuilder: new ImagebuilderClient({}),
  events: new EventBridgeClient({}),
}));
