import { App, Validations } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadEnvironments } from './config';
import type { EnvironmentConfig } from './config';
import { ImmutableStack } from './stacks/immutable-stack';

export interface BuildAppOptions extends AppProps {
  /** Run cdk-nag's AWS Solutions checks as a validation plugin. @default true */
  readonly nag?: boolean;
  /** Use these environments instead of the configured ones (tests). */
  readonly environments?: EnvironmentConfig[];
}

export interface BuiltApp {
  readonly app: App;
  readonly stacks: ImmutableStack[];
}

/**
 * The whole application: one stack per environment, with cdk-nag registered so every
 * synth is checked and an unacknowledged finding fails it. bin/app.ts, the tests and the
 * rehearsal all build the app through here, so they synthesize the same thing.
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const { nag = true, environments, ...appProps } = options;
  const app = new App(appProps);
  const configs =
    environments ??
    loadEnvironments({ sourceRevision: app.node.tryGetContext('sourceRevision'), env: process.env });
  const stacks = configs.map(
    (config) =>
      new ImmutableStack(app, `Immutable-${config.name}`, {
        config,
        env: config.account && config.region ? { account: config.account, region: config.region } : undefined,
        description: `Immutable EC2 fleet (${config.name}): bake pipeline, blue/green fleet and rollout workflow`,
      }),
  );
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stacks };
}
