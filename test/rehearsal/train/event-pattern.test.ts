import fc from 'fast-check';
import { InvalidEventPatternError, matchesPattern } from '../../../rehearsal/train/event-pattern';
import { SimulatorUnsupportedError } from '../../../rehearsal/simulator';
import { CompiledProduct } from '../../../rehearsal/engine/product';
import { propertyRuns } from '../../support/properties';
import { productTemplates } from '../../support/templates';

const released = {
  source: 'immutable.rollout',
  'detail-type': 'Image Released',
  account: '123456789012',
  region: 'eu-west-1',
  resources: ['arn:aws:imagebuilder:eu-west-1:123456789012:image/immutable-web_0523819181/1.0.0/1'],
  detail: { environment: 'dev', imageId: 'ami-0bbbbbbbbbbbbbbbb', action: 'canary' },
};

describe('EventBridge pattern matching', () => {
  it.each([
    [{ source: ['immutable.rollout'] }, true],
    [{ source: ['immutable.images', 'immutable.rollout'] }, true],
    [{ source: ['immutable.images'] }, false],
    [{ detail: { environment: ['dev'] } }, true],
    [{ detail: { environment: ['staging'] } }, false],
    [{ detail: { missing: ['x'] } }, false],
    [{ detail: { environment: [{ prefix: 'de' }] } }, true],
    [{ detail: { imageId: [{ suffix: 'bbb' }] } }, true],
    [{ detail: { action: [{ 'anything-but': ['rollback'] }] } }, true],
    [{ detail: { action: [{ 'anything-but': 'canary' }] } }, false],
    [{ detail: { action: [{ 'anything-but': { prefix: 'can' } }] } }, false],
    [{ detail: { previousImage: [{ exists: false }] } }, true],
    [{ detail: { imageId: [{ exists: true }] } }, true],
    [{ detail: { imageId: [{ exists: false }] } }, false],
    // An array in the event matches when any element does.
    [{ resources: [{ wildcard: 'arn:aws:imagebuilder:*:image/immutable-web_*' }] }, true],
    [{ resources: [{ wildcard: 'arn:aws:imagebuilder:*:image/other_*' }] }, false],
    [
      { resources: [{ wildcard: 'arn:aws:imagebuilder:eu-west-1:123456789012:image/immutable-web\\*' }] },
      false,
    ],
    [{ source: ['immutable.rollout'], 'detail-type': ['Image Released'], account: ['123456789012'] }, true],
    [{ source: ['immutable.rollout'], account: ['999999999999'] }, false],
  ])('%j matches: %s', (pattern, expected) => {
    expect(matchesPattern(pattern, released)).toBe(expected);
  });

  it('refuses an operator it cannot judge, naming the field, instead of guessing', () => {
    expect(() => matchesPattern({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, released)).toThrow(
      new SimulatorUnsupportedError(
        'event pattern field "detail.ip" uses {"cidr":"10.0.0.0/24"}, which the rehearsal does not match: the rehearsal does not judge cidr',
      ),
    );
  });

  it('fails when a field is neither an array nor an object, as EventBridge refuses it', () => {
    expect(() => matchesPattern({ source: 'immutable.rollout' }, released)).toThrow(
      new InvalidEventPatternError(
        'event pattern field "source" must be an object or an array, got "immutable.rollout"',
      ),
    );
  });

  it('matches an event against a pattern made of its own values, and not once one of them changes', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean());
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), scalar, { minKeys: 1 }),
        fc.string(),
        (detail, other) => {
          const event = { ...released, detail };
          const pattern = { detail: Object.fromEntries(Object.entries(detail).map(([k, v]) => [k, [v]])) };
          expect(matchesPattern(pattern, event)).toBe(true);
          const [key, value] = Object.entries(detail)[0] as [string, unknown];
          if (other !== value) expect(matchesPattern({ detail: { [key]: [other] } }, event)).toBe(false);
        },
      ),
      propertyRuns(),
    );
  });

  it('routes each product event to exactly the rules the shipped stacks meant for it', () => {
    const product = new CompiledProduct(productTemplates());
    const rules = ['image-factory', 'dev', 'staging', 'prod'].flatMap((s) => product.stack(s).rules);
    const matching = (event: object) =>
      rules
        .filter((r) => matchesPattern(r.pattern, event))
        .map((r) => `${r.stack}:${r.id.replace(/[A-F0-9]{8}$/, '')}`);
    expect(matching(released).sort()).toEqual([
      'image-factory:EventsImageReleased',
      'staging:RolloutPromotionUpstreamReleased',
    ]);
    expect(matching({ ...released, detail: { ...released.detail, environment: 'staging' } }).sort()).toEqual([
      'image-factory:EventsImageReleased',
      'prod:RolloutPromotionUpstreamReleased',
    ]);
    expect(
      matching({ ...released, source: 'immutable.images', 'detail-type': 'Image Available' }).sort(),
    ).toEqual(['dev:RolloutImageAvailable', 'prod:RolloutImageAvailable', 'staging:RolloutImageAvailable']);
  });
});
