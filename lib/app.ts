import { App, Validations } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { environmentStackName } from '../lambda/shared/names';
import { configSourcesOf, loadConfig } from './config';
import type { ProductConfig } from './config';
import { ImageFactoryStack } from './stacks/image-factory-stack';
import { ImmutableStack } from './stacks/immutable-stack';
import { topologyOf } from './topology';

export interface BuildAppOptions extends AppProps {
  /** Run cdk-nag's AWS Solutions checks as a validation plugin. @default true */
  readonly nag?: boolean;
  /**
   * Use this product configuration instead of the configured one (tests).
   * @default the configuration `-c config=FILE` names, else the shipped one
   */
  readonly product?: ProductConfig;
}

export interface BuiltApp {
  readonly app: App;
  /** The image factory (`Immutable-images`). */
  readonly imageFactory: ImageFactoryStack;
  /** One stack per environment, in promotion order. */
  readonly stacks: ImmutableStack[];
  /** The product the stacks were built from. */
  readonly product: ProductConfig;
}

/** The image factory's stack: one per product. */
export const IMAGE_FACTORY_STACK = 'Immutable-images';

/**
 * The whole application: the image factory's stack and one stack per environment, with cdk-nag
 * registered so every synth is checked and an unacknowledged finding fails it. bin/app.ts, the
 * tests and the rehearsal all build the app through here, so they synthesize the same thing.
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const { nag = true, product, ...appProps } = options;
  const app = new App(appProps);
  const config = product ?? loadConfig(configSourcesOf(app));
  const topology = topologyOf(config);
  const envOf = (c: { account?: string; region?: string }) =>
    c.account && c.region ? { account: c.account, region: c.region } : undefined;
  const imageFactory = new ImageFactoryStack(app, IMAGE_FACTORY_STACK, {
    product: config,
    topology,
    env: envOf(config.imageFactory),
    description:
      'Immutable EC2 fleets: the image factory (bake, scan, distribute) and its side of the release train',
  });
  const stacks = config.environments.map(
    (c) =>
      new ImmutableStack(app, environmentStackName(c.name), {
        config: c,
        product: config,
        topology,
        env: envOf(c),
        description: `Immutable EC2 fleet (${c.name}): blue/green fleet, rollout workflow and promotion`,
      }),
  );
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, imageFactory, stacks, product: config };
}
