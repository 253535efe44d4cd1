import { ConfigError, validateEnvironment } from '../../lib/config';
import {
  DERIVED_NAMES,
  MAX_ENVIRONMENT_NAME_LENGTH,
  TIGHTEST_DERIVED_NAME,
} from '../../lambda/shared/name-limits';
import { configOf } from '../support/synth';

/** The configured dev environment under another name, validated; the thrown message, or 'accepted'. */
function named(name: unknown): string {
  try {
    validateEnvironment({ ...configOf('dev'), name }, 'dev');
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

describe("an environment's name", () => {
  it.each(['qa', 'uat', 'prod-eu', 'prod-us', 'eu-central-1', 'x'])('accepts %s', (name) => {
    expect(named(name)).toBe('accepted');
  });

  it.each([
    ['Prod', 'upper case'],
    ['1prod', 'a leading digit'],
    ['-prod', 'a leading hyphen'],
    ['prod_eu', 'an underscore'],
    ['prod eu', 'a space'],
    ['', 'nothing'],
  ])('fails when it is %j (%s), saying what a name may hold', (name) => {
    expect(named(name)).toBe(
      `dev.name must be lowercase letters, digits and hyphens, starting with a letter, got ${JSON.stringify(name)}`,
    );
  });

  it('fails when it is not a string', () => {
    expect(named(7)).toBe(
      'dev.name must be a name of lowercase letters, digits and hyphens, starting with a letter, got 7',
    );
  });

  it.each([
    ['image-factory', 'promotion.from names the image factory so'],
    ['images', "the image factory's stack is Immutable-images"],
    ['all', 'the operators’ tools take --env all for every environment'],
  ])('fails when it is the reserved word %s, saying what uses it', (name, why) => {
    expect(named(name)).toContain(`dev.name must not be "${name}": ${why}`);
  });

  it('accepts the longest name every resource named after it still fits', () => {
    expect(named('a'.repeat(MAX_ENVIRONMENT_NAME_LENGTH))).toBe('accepted');
  });

  it('fails when it is one character longer, naming the resource whose limit it breaks', () => {
    const name = 'a'.repeat(MAX_ENVIRONMENT_NAME_LENGTH + 1);
    expect(named(name)).toBe(
      `dev.name must be at most 41 characters: its rollout trigger dead-letter queue (SQS) ` +
        `immutable-<name>-rollout-trigger-dead-letters may have at most 80 ` +
        `(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html), got "${name}"`,
    );
  });
});

describe('the names built from an environment’s name', () => {
  const longest = 'a'.repeat(MAX_ENVIRONMENT_NAME_LENGTH);

  it.each(DERIVED_NAMES.map((d) => [d.what, d] as const))(
    'the %s of the longest name stays within AWS’s limit',
    (_what, derived) => {
      expect(derived.name(longest).length).toBeLessThanOrEqual(derived.maxLength);
    },
  );

  it('the limit is the tightest of them: one more character breaks the one it names, and only those as tight', () => {
    const broken = DERIVED_NAMES.filter((d) => d.name(`${longest}a`).length > d.maxLength);
    expect(broken).toContain(TIGHTEST_DERIVED_NAME);
    for (const d of broken) expect(d.name(longest).length).toBe(d.maxLength);
  });

  it('each is built from the name itself, so a longer name makes a longer resource name', () => {
    for (const d of DERIVED_NAMES)
      expect({ d: d.what, grows: d.name('ab').length - d.name('a').length }).toEqual({
        d: d.what,
        grows: 1,
      });
  });
});
