import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The product's own Image Builder component documents, kept as YAML next to this file. */
export const COMPONENT_DOCUMENTS = ['hardening', 'app-install', 'cloudwatch-agent', 'verify'] as const;
export type ComponentDocumentName = (typeof COMPONENT_DOCUMENTS)[number];

/**
 * Inline component data is limited to 16,000 characters.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateComponent.html
 */
export const MAX_INLINE_COMPONENT_CHARS = 16000;

export function componentDocumentPath(name: ComponentDocumentName): string {
  return join(__dirname, 'components', `${name}.yaml`);
}

/** The document's text, read at synth; too long a document fails synth rather than the deploy. */
export function readComponentDocument(name: ComponentDocumentName): string {
  const text = readFileSync(componentDocumentPath(name), 'utf8');
  if (text.length > MAX_INLINE_COMPONENT_CHARS) {
    throw new Error(
      `component document ${name}.yaml must be at most ${MAX_INLINE_COMPONENT_CHARS} characters (Image Builder inline data), got ${text.length}`,
    );
  }
  return text;
}

/**
 * ARN of an AWS-managed component, built offline (account `aws`, this stack's partition and
 * region). `x.x.x` follows the newest version, which also lets a dependency-update schedule rebuild
 * when AWS publishes one.
 */
export function awsManagedComponentArn(scope: IConstruct, name: string, version = 'x.x.x'): string {
  return Stack.of(scope).formatArn({
    service: 'imagebuilder',
    account: 'aws',
    resource: 'component',
    resourceName: `${name}/${version}`,
  });
}
