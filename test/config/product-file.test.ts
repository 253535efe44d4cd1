import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../lib/config';
import { scratchDir } from '../support/synth';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const shippedJson = () =>
  JSON.parse(readFileSync(join(EXAMPLES, 'dev-staging-prod.json'), 'utf8')) as Record<string, any>;

let dir: string;
beforeAll(() => {
  dir = scratchDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `content` written to a file of the scratch folder; its absolute path. */
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The ConfigError loading `configFile` throws. */
function refusal(configFile: unknown, cwd = dir): string {
  try {
    loadConfig({ configFile, cwd, sourceRevision: 'test' });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('a product configuration file', () => {
  it('holds the shipped configuration as data: the same product as the TypeScript default', () => {
    const fromFile = loadConfig({
      configFile: join(EXAMPLES, 'dev-staging-prod.json'),
      sourceRevision: 'abc',
    });
    expect(fromFile).toEqual(loadConfig({ sourceRevision: 'abc' }));
  });

  it('is found relative to the directory the command runs in', () => {
    mkdirSync(join(dir, 'layouts'), { recursive: true });
    file('layouts/shipped.json', JSON.stringify(shippedJson()));
    const product = loadConfig({ configFile: 'layouts/shipped.json', cwd: dir, sourceRevision: 'abc' });
    expect(product.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
  });

  it('takes the source revision from the context or SOURCE_REVISION, never from the file', () => {
    const path = join(EXAMPLES, 'dev-staging-prod.json');
    expect(
      loadConfig({ configFile: path, env: { SOURCE_REVISION: 'env1' } }).imageFactory.sourceRevision,
    ).toBe('env1');
    const inFile = shippedJson();
    inFile.imageFactory.sourceRevision = 'abc';
    expect(refusal(file('revision.json', JSON.stringify(inFile)))).toContain(
      'imageFactory.sourceRevision is not part of the file: it comes from -c sourceRevision=… or SOURCE_REVISION',
    );
  });

  it('fails when it does not exist, naming the file, where it was looked for and what to do', () => {
    expect(refusal('layouts/missing.json')).toBe(
      `config file layouts/missing.json does not exist (no file at ${join(dir, 'layouts', 'missing.json')}); ` +
        'give the path of a product configuration in JSON (examples/ holds some), or leave it out for the shipped one',
    );
  });

  it('fails when it is a directory, or cannot be read', () => {
    expect(refusal(dir)).toMatch(
      /^config file .* is a directory \(.*\), not a file; give the path of a product/,
    );
  });

  it('fails when the value given is no path at all', () => {
    // `-c config` without a value gives true; `-c config=` gives an empty string.
    expect(refusal(true)).toMatch(/^config must be the path of a product configuration file, got true; give/);
    expect(refusal('')).toMatch(/^config must be the path of a product configuration file, got ""; give/);
  });

  it('fails when it is not JSON, saying where the syntax breaks', () => {
    const path = file('broken.json', '{ "imageFactory": {}, }');
    expect(refusal(path)).toMatch(
      new RegExp(`^config file ${path} is not JSON \\(.*position.*\\); fix its syntax$`),
    );
  });

  it('fails when it does not hold a product configuration’s outline, naming each missing or unknown field', () => {
    expect(refusal(file('list.json', '[]'))).toBe(
      `config file ${join(dir, 'list.json')}: must hold one JSON object { "imageFactory": {…}, "environments": [ {…}, … ] }, got a list`,
    );
    const path = file('outline.json', JSON.stringify({ imageFactroy: {}, environments: {} }));
    expect(refusal(path).split('\n')).toEqual([
      `config file ${path}: imageFactroy is not a known field (a product configuration holds { "imageFactory": {…}, "environments": [ {…}, … ] }; remove it or fix its spelling)`,
      `config file ${path}: imageFactory is required: the image factory's configuration`,
      `config file ${path}: environments must be a list of environments ({ "imageFactory": {…}, "environments": [ {…}, … ] }), got an object`,
    ]);
  });

  it('fails with the same messages as the TypeScript configuration, under the file’s name', () => {
    const json = shippedJson();
    json.environments[1].fleet.capacity.min = 0;
    json.environments[2].name = 'Prod';
    const path = file('invalid.json', JSON.stringify(json));
    expect(refusal(path).split('\n')).toEqual([
      `config file ${path} is not a valid product configuration:`,
      'staging.fleet.capacity.min must be >= 1, got 0',
      'Prod.name must be lowercase letters, digits and hyphens, starting with a letter, got "Prod"',
    ]);
  });

  it('fails when an environment has no name, naming it by its place in the list', () => {
    const json = shippedJson();
    delete json.environments[0].name;
    expect(refusal(file('unnamed.json', JSON.stringify(json)))).toContain(
      'environments.0.name must be a name of lowercase letters, digits and hyphens, starting with a letter, got nothing',
    );
  });
});
