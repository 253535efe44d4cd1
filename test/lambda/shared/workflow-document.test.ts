import type { JsonPath } from '../../../lambda/shared/workflow/json-path';
import { pathsBelow } from '../../../lambda/shared/workflow/json-path';
import { PROMOTION_STEP_PAYLOADS } from '../../../lambda/shared/workflow/promotion-steps';
import { promotionPath } from '../../../lambda/shared/workflow/promotion-document';
import { lockedPath, phoenixPath, rolloutPath } from '../../../lambda/shared/workflow/rollout-document';
import { ROLLOUT_STEP_PAYLOADS } from '../../../lambda/shared/workflow/rollout-steps';
import { STEP_HANDLERS } from '../../../lambda/shared/step-settings';

/** Every `.$` value in a template, with its key, however deep. */
function pathsIn(template: object, prefix = ''): [string, unknown][] {
  return Object.entries(template).flatMap(([key, value]): [string, unknown][] => {
    if (key.endsWith('.$')) return [[`${prefix}${key}`, value]];
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? pathsIn(value as object, `${prefix}${key}.`)
      : [];
  });
}

describe('typed paths', () => {
  it('are the JSONPath Step Functions reads, from the root down', () => {
    expect(rolloutPath()).toBe('$');
    expect(rolloutPath('plan')).toBe('$.plan');
    expect(rolloutPath('plan', 'kind')).toBe('$.plan.kind');
    expect(lockedPath('lock', 'fleet', 'liveColour')).toBe('$.lock.fleet.liveColour');
    expect(rolloutPath('released', 'warm', 'until')).toBe('$.released.warm.until');
    expect(promotionPath('canaryStatus', 'done')).toBe('$.canaryStatus.done');
  });

  it('are the same strings in every view of the document', () => {
    expect(phoenixPath('progress', 'waitSeconds')).toBe(rolloutPath('progress', 'waitSeconds'));
  });

  it('continue below another path', () => {
    const progress: JsonPath<{ readonly waitSeconds?: number } | undefined> = rolloutPath('progress');
    expect(pathsBelow(progress)('waitSeconds')).toBe('$.progress.waitSeconds');
    expect(pathsBelow(rolloutPath('error'))('Cause')).toBe('$.error.Cause');
  });

  it('fails when a key is not a plain name, which dot notation would misread', () => {
    const below = pathsBelow('$' as JsonPath<Record<string, unknown>>) as unknown as (key: string) => string;
    expect(() => below('a.b')).toThrow('a document key must be a plain name, got "a.b" below $');
    expect(() => below('')).toThrow('got "" below $');
  });
});

describe('the step payloads', () => {
  const rollout = Object.entries(ROLLOUT_STEP_PAYLOADS).flatMap(([fn, states]) =>
    Object.entries(states).map(([state, template]) => ({ fn, state, template: template as object })),
  );

  it('name every rollout step function', () => {
    expect(Object.keys(ROLLOUT_STEP_PAYLOADS).sort()).toEqual([...STEP_HANDLERS].sort());
  });

  it.each(rollout)('$state ($fn) leads with the execution', ({ template }) => {
    expect(Object.entries(template)[0]).toEqual(['execution.$', '$.execution']);
  });

  it.each(rollout)('$state ($fn) holds document paths under every .$ key', ({ template }) => {
    const paths = pathsIn(template);
    expect(paths.length).toBeGreaterThan(0);
    for (const [, path] of paths) expect(path).toMatch(/^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/);
  });

  it('send what each rollout state sent before they were typed', () => {
    expect(ROLLOUT_STEP_PAYLOADS['plan-rollout']['Plan Rollout']).toEqual({
      'execution.$': '$.execution',
      'request.$': '$.request',
      'fleet.$': '$.lock.fleet',
    });
    expect(ROLLOUT_STEP_PAYLOADS.ledger['Record Outcome']).toEqual({
      'execution.$': '$.execution',
      op: 'finish',
      'document.$': '$',
    });
    expect(ROLLOUT_STEP_PAYLOADS['check-canary']['Check Warm Colour Health']).toMatchObject({
      'plan.$': '$.plan',
      progress: { phase: 'launching', 'version.$': '$.plan.version', 'deadline.$': '$.plan.healthyBy' },
    });
  });

  it('hand the approval its task token, after the operation, the execution and the promotion', () => {
    expect(PROMOTION_STEP_PAYLOADS.promotion['Ask For Approval']('<token>')).toEqual({
      op: 'request-approval',
      'execution.$': '$.execution',
      'promotion.$': '$.promotion',
      taskToken: '<token>',
    });
  });
});
