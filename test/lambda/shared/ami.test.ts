import fc from 'fast-check';
import { AMI_ID_RULE, isAmiId } from '../../../lambda/shared/ami';
import { imageReleasedDetailSchema } from '../../../lambda/shared/events';
import { rolloutInputSchema } from '../../../lambda/shared/input-schema';
import { amiId as scenarioAmiId } from '../../../rehearsal/scenario';
import { propertyRuns } from '../../support/properties';

describe('what an AMI id is', () => {
  it.each(['ami-12345678', 'ami-0123456789abcdef0'])('accepts %s (8 or 17 hex digits)', (id) => {
    expect(isAmiId(id)).toBe(true);
  });

  it.each([
    ['fewer than 8 digits', 'ami-1234567'],
    ['between 8 and 17 digits', 'ami-0123456789abcdef'],
    ['more than 17 digits', 'ami-0123456789abcdef01'],
    ['upper-case digits', 'ami-0123456789ABCDEF0'],
    ['a non-hex letter', 'ami-0123456789abcdefg'],
    ['padding', ' ami-0123456789abcdef0'],
    ['another resource prefix', 'i-0123456789abcdef0'],
    ['an upper-case prefix', 'AMI-0123456789abcdef0'],
    ['no digits', 'ami-'],
  ])('fails when the id has %s: %s', (_, id) => {
    expect(isAmiId(id)).toBe(false);
  });

  it.each([undefined, null, 12345678, ['ami-12345678']])('fails when the value is not a string: %j', (v) => {
    expect(isAmiId(v)).toBe(false);
  });
});

describe('one definition, held by every consumer', () => {
  // Near misses as well as ids: prefixes, lengths around 8 and 17, cases and stray characters.
  const candidate = fc.oneof(
    fc.stringMatching(/^ami-[0-9a-f]{6,19}$/),
    fc.stringMatching(/^(ami|AMI|i)-[0-9a-fA-F]{8}$/),
    fc.stringMatching(/^ami-[0-9a-gA-G ]{17}$/),
    fc.string(),
  );
  const consumers: ReadonlyArray<readonly [string, (id: string) => boolean]> = [
    ['the workflow input', (id) => rolloutInputSchema.safeParse({ action: 'canary', imageId: id }).success],
    [
      'the Image Released event',
      (id) =>
        imageReleasedDetailSchema.safeParse({
          environment: 'dev',
          imageId: id,
          action: 'canary',
          trigger: 'console',
          execution: 'arn',
          releasedAt: '2026-01-01T00:00:00Z',
        }).success,
    ],
    ['the rehearsal scenario', (id) => scenarioAmiId.safeParse(id).success],
  ];

  it('accepts exactly the ids isAmiId accepts, in the workflow, the events and the scenarios', () => {
    fc.assert(
      fc.property(candidate, (id) => {
        for (const [, accepts] of consumers) expect(accepts(id)).toBe(isAmiId(id));
      }),
      propertyRuns(),
    );
  });

  it('fails with one message, naming the rule and an example', () => {
    const input = rolloutInputSchema.safeParse({ action: 'canary', imageId: 'ami-1' });
    const scenario = scenarioAmiId.safeParse('ami-1');
    expect(input.error?.issues[0]?.message).toBe(AMI_ID_RULE);
    expect(scenario.error?.issues[0]?.message).toBe(AMI_ID_RULE);
    expect(AMI_ID_RULE).toContain('8 or 17 lowercase hex digits');
  });
});
