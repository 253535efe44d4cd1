import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CDK_JSON_CONTEXT } from './synth';

const OUT_ROOT = join(__dirname, '..', '.out');

/**
 * The assembly folders of this test file's apps. An app stages assets (a custom resource's code)
 * while it is built, so one whose construction throws, or that is never synthesized, leaves a
 * folder: each test file removes its own once it has run (once the describe block that first
 * loads this module has, for a suite loaded inside one).
 */
const outdirs = new Set<string>();
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  outdirs.clear();
});

/** A folder under test/.out for an app's assembly, removed when the test file has run. */
export function assemblyDir(): string {
  const outdir = join(OUT_ROOT, `bare-${randomUUID()}`);
  outdirs.add(outdir);
  return outdir;
}

/**
 * An app for a construct test: cdk.json's context (the feature flags `cdk synth` runs with) and
 * the test's own on top. It bundles no asset, and leaves CloudFormation's schema validation off:
 * its engine takes seconds to start in each test file that runs it, and
 * test/deployability/synth-checks.test.ts runs it on the product as `cdk synth` does. Its
 * assembly goes to a folder under test/.out that {@link templateOf} removes once the templates
 * are read.
 */
export function bareApp(context: Record<string, unknown> = {}): App {
  return new App({
    outdir: assemblyDir(),
    builtinCloudFormationValidation: false,
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
  });
}

export interface BareStackProps extends StackProps {
  /** The stack's construct id. @default 'Probe' */
  readonly id?: string;
  /** Context on top of cdk.json's. @default - cdk.json's only */
  readonly context?: Record<string, unknown>;
}

/**
 * A stack alone in a {@link bareApp}, for a construct built with only the props its test needs
 * (not the whole product from the shipped configuration).
 */
export function bareStack(props: BareStackProps = {}): Stack {
  const { id = 'Probe', context, ...stackProps } = props;
  return new Stack(bareApp(context), id, stackProps);
}

/**
 * `stack`'s template. The first call synthesizes its app (every stack in it), reads every
 * template and removes the assembly folder; later calls, for the same or another stack of the
 * app, read the synthesized templates. Constructs added after the first call are not in them.
 */
export function templateOf(stack: Stack): Template {
  const stage = Stage.of(stack);
  if (!stage) throw new Error(`${stack.node.path} is in no app`);
  const assembly = stage.synth();
  try {
    // Templates are read from the assembly folder on first use: read them all before it goes.
    for (const artifact of assembly.stacksRecursively) void artifact.template;
  } finally {
    rmSync(assembly.directory, { recursive: true, force: true });
    outdirs.delete(assembly.directory);
  }
  return Template.fromStack(stack);
}
