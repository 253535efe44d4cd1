import { createHash } from 'node:crypto';
import { Token } from 'aws-cdk-lib';

/**
 * Image Builder names: 3-128 letters, digits, dashes, underscores or spaces.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateImageRecipe.html
 */
const IMAGE_BUILDER_NAME = /^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$/;

/**
 * Components and recipes are immutable in Image Builder: a name + version can be created once.
 * CloudFormation replaces them on any change, which collides with the version still in place
 * unless the name changes too. So their names end in a fingerprint of everything that defines
 * them; a change yields a new name, an unchanged definition keeps its name (no needless rebuild).
 *
 * The separator is `_` because application names cannot contain it, so the fingerprinted names
 * of app `web` (`immutable-dev-web_…`) never share a prefix with those of app `web-api`.
 */
export const FINGERPRINT_SEPARATOR = '_';

/** First 10 hex digits of the SHA-256 of `content` (a string, or JSON built in a fixed key order). */
export function fingerprint(content: unknown): string {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  if (Token.isUnresolved(text)) {
    // A token's string form changes from synth to synth, which would rename the resource every time.
    throw new Error(
      `a fingerprint must be computed from synth-time values only, got a deploy-time token in ${text}`,
    );
  }
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

/** `<base>_<fingerprint>`, checked against Image Builder's naming rule. */
export function contentAddressedName(base: string, content: unknown): string {
  const name = `${base}${FINGERPRINT_SEPARATOR}${fingerprint(content)}`;
  assertImageBuilderName(name);
  return name;
}

export function assertImageBuilderName(name: string): void {
  if (!IMAGE_BUILDER_NAME.test(name)) {
    throw new Error(
      `Image Builder resource name must be 3-128 letters, digits, dashes, underscores or spaces, got "${name}"`,
    );
  }
}
