import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './config-error';

/** A product configuration as a file holds it, before validation. */
export interface RawProduct {
  readonly imageFactory: unknown;
  readonly environments: readonly unknown[];
}

/** What a product configuration file holds, for messages. */
const SHAPE = '{ "imageFactory": {…}, "environments": [ {…}, … ] }';
const FIX =
  'give the path of a product configuration in JSON (examples/ holds some), or leave it out for the shipped one';

/** A configuration file's content, and the file as it was named. */
export interface ProductFile {
  readonly file: string;
  readonly product: RawProduct;
}

/**
 * Read the product configuration in `file` (relative to `cwd`): its JSON, shaped as
 * {@link RawProduct}, for `validateProduct` to check field by field. A file that is missing,
 * unreadable, not JSON or not that shape fails naming the file and what to do.
 */
export function readProductFile(file: unknown, cwd: string): ProductFile {
  if (typeof file !== 'string' || file.trim() === '') {
    throw new ConfigError(
      `config must be the path of a product configuration file, got ${JSON.stringify(file)}; ${FIX}`,
    );
  }
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`config file ${file} ${unreadable(e, path)}; ${FIX}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${file} is not JSON (${(e as Error).message}); fix its syntax`);
  }
  const problems = shapeProblems(json);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => `config file ${file}: ${p}`).join('\n'));
  }
  return { file, product: json as RawProduct };
}

function unreadable(e: unknown, path: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `does not exist (no file at ${path})`;
  if (code === 'EISDIR') return `is a directory (${path}), not a file`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot be read: permission denied (${path})`;
  return `cannot be read (${code ?? (e as Error).message}, ${path})`;
}

/** What keeps `json` from being a product configuration's outline, one sentence each. */
function shapeProblems(json: unknown): string[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return [`must hold one JSON object ${SHAPE}, got ${kindOf(json)}`];
  }
  const problems = Object.keys(json)
    .filter((key) => key !== 'imageFactory' && key !== 'environments')
    .map(
      (key) =>
        `${key} is not a known field (a product configuration holds ${SHAPE}; remove it or fix its spelling)`,
    );
  const { imageFactory, environments } = json as Record<string, unknown>;
  if (imageFactory === undefined)
    problems.push("imageFactory is required: the image factory's configuration");
  if (typeof imageFactory === 'object' && imageFactory !== null && 'sourceRevision' in imageFactory) {
    problems.push(
      'imageFactory.sourceRevision is not part of the file: it comes from -c sourceRevision=… or SOURCE_REVISION ' +
        '(the revision the stacks are deployed from); remove it',
    );
  }
  if (!Array.isArray(environments)) {
    problems.push(`environments must be a list of environments (${SHAPE}), got ${kindOf(environments)}`);
  }
  return problems;
}

/** What a value is, in a few words: enough to recognise a misplaced one. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(value);
}
