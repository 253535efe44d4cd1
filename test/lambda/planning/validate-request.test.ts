import fc from 'fast-check';
import { propertyRuns } from '../../support/properties';
import { validateRequest } from '../../../lambda/planning/validate-request';
import { AMI_ID_RULE } from '../../../lambda/shared/ami';
import { InvalidInput } from '../../../lambda/shared/errors';
import { INPUT_FIELDS } from '../../../lambda/shared/input-schema';

const AMI = 'ami-0123456789abcdef0';

/** The InvalidInput message for `input`; fails the test if it is accepted or throws anything else. */
function refusal(input: unknown): string {
  try {
    validateRequest(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInput);
    expect((e as Error).name).toBe('InvalidInput');
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('validateRequest accepts the documented inputs', () => {
  it('normalizes a bare phoenix with every default', () => {
    expect(validateRequest({ action: 'phoenix' })).toEqual({
      action: 'phoenix',
      reason: 'phoenix started from the console',
      force: false,
      dryRun: false,
      trigger: 'console',
    });
  });

  it('keeps a canary image and the given reason, trigger and dry run', () => {
    expect(
      validateRequest({
        action: 'canary',
        imageId: AMI,
        reason: 'CVE-2026-0001 patch',
        trigger: 'image-factory',
        dryRun: true,
      }),
    ).toEqual({
      action: 'canary',
      imageId: AMI,
      reason: 'CVE-2026-0001 patch',
      force: false,
      dryRun: true,
      trigger: 'image-factory',
    });
  });

  it('names an automatic trigger in the default reason', () => {
    expect(validateRequest({ action: 'phoenix', trigger: 'schedule' }).reason).toBe(
      'phoenix started by schedule',
    );
  });

  it('accepts force on a phoenix rotation', () => {
    expect(validateRequest({ action: 'phoenix', force: true }).force).toBe(true);
  });

  it('accepts a rollback without an image', () => {
    expect(validateRequest({ action: 'rollback' })).toMatchObject({ action: 'rollback', force: false });
    expect(validateRequest({ action: 'rollback' })).not.toHaveProperty('imageId');
  });

  it.each(['ami-12345678', 'ami-0123456789abcdef0'])('accepts the AMI id form %s', (imageId) => {
    expect(validateRequest({ action: 'canary', imageId }).imageId).toBe(imageId);
  });
});

describe('validateRequest refuses unknown fields', () => {
  it('fails when a field is misspelt, naming it and the accepted fields', () => {
    const message = refusal({ action: 'canary', imgeId: AMI });
    expect(message).toContain('"imgeId" is not a known field');
    expect(message).toContain(`accepted fields: ${INPUT_FIELDS.join(', ')}`);
  });

  it('fails when several fields are unknown, naming each', () => {
    const message = refusal({ action: 'phoenix', dry_run: true, Force: true });
    expect(message).toBe(
      `"dry_run" is not a known field; "Force" is not a known field (accepted fields: ${INPUT_FIELDS.join(', ')})`,
    );
  });

  it('fails with a short cause however many fields are unknown, naming the first ten and counting the rest', () => {
    const input = {
      action: 'phoenix',
      ...Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${i}`, i])),
    };
    const message = refusal(input);
    expect(message.length).toBeLessThan(1000);
    expect(message).toContain('"f0" is not a known field; "f1" is not a known field');
    expect(message).toContain('"f9" is not a known field; and 2990 more fields are not known either');
    expect(message).not.toContain('"f10"');
  });
});

describe('validateRequest refuses wrong types and values', () => {
  it.each([
    [null, 'input must be a JSON object such as {"action":"phoenix"}, got null'],
    ['phoenix', 'input must be a JSON object such as {"action":"phoenix"}, got "phoenix"'],
    [[], 'input must be a JSON object such as {"action":"phoenix"}, got []'],
    [42, 'input must be a JSON object such as {"action":"phoenix"}, got 42'],
  ])('fails when the input is %j', (input, message) => {
    expect(refusal(input)).toBe(message);
  });

  it('fails when action is missing', () => {
    expect(refusal({})).toBe(
      'action must be "phoenix", "canary", "rollback", "restore" or "replace", got nothing',
    );
  });

  it('fails when action is not one of the three', () => {
    expect(refusal({ action: 'deploy' })).toBe(
      'action must be "phoenix", "canary", "rollback", "restore" or "replace", got "deploy"',
    );
  });

  it('fails when booleans are strings or numbers, reporting every field', () => {
    expect(refusal({ action: 'phoenix', force: 'yes', dryRun: 1 })).toBe(
      'force must be true or false, got "yes"; dryRun must be true or false, got 1',
    );
  });

  it('fails when trigger is not a known trigger', () => {
    expect(refusal({ action: 'phoenix', trigger: 'cron' })).toBe(
      'trigger must be "console", "schedule", "image-factory", "promotion", "recovery" or "interactive-access", got "cron"',
    );
  });

  it('fails when reason is not a string', () => {
    expect(refusal({ action: 'phoenix', reason: { text: 'why' } })).toBe(
      'reason must be a string, got {"text":"why"}',
    );
  });

  it('fails when imageId is not a string', () => {
    expect(refusal({ action: 'canary', imageId: 5 })).toBe('imageId must be a string, got 5');
  });
});

describe('validateRequest checks AMI ids', () => {
  it.each([
    'ami-123',
    'ami-0123456789ABCDEF0',
    'ami-0123456789abcdef',
    'ami-0123456789abcdef01',
    ' ami-0123456789abcdef0',
    'i-0123456789abcdef0',
    'ami-0123456789abcdefg',
  ])('fails when imageId is %j', (imageId) => {
    expect(refusal({ action: 'canary', imageId })).toBe(
      `imageId ${AMI_ID_RULE}, got ${JSON.stringify(imageId)}`,
    );
  });
});

describe('validateRequest applies the rules between fields', () => {
  it('fails when a canary has no image', () => {
    expect(refusal({ action: 'canary' })).toBe(
      'imageId is required for a canary (the AMI to roll out), got nothing',
    );
  });

  it.each(['phoenix', 'rollback'])('fails when a %s names an image', (action) => {
    expect(refusal({ action, imageId: AMI })).toBe(
      `imageId is only accepted for a canary (${action} uses the released images), got "${AMI}"`,
    );
  });

  it.each(['canary', 'rollback'])('fails when a %s is forced', (action) => {
    const input = action === 'canary' ? { action, imageId: AMI, force: true } : { action, force: false };
    expect(refusal(input)).toBe(`force is only accepted for a phoenix rotation, got ${String(input.force)}`);
  });
});

describe('validateRequest keeps huge values out of its messages', () => {
  it('fails when the reason is too long, echoing only its start and its length', () => {
    const message = refusal({ action: 'phoenix', reason: 'x'.repeat(10_000) });
    expect(message).toBe(`reason must be at most 500 characters, got "${'x'.repeat(63)}… (10002 characters)`);
  });

  it('fails when an unknown field has a huge name, echoing it truncated', () => {
    const message = refusal({ action: 'phoenix', ['k'.repeat(5_000)]: 1 });
    expect(message.length).toBeLessThan(250);
    expect(message).toContain('… (5002 characters) is not a known field');
  });

  it('accepts a reason of exactly 500 characters', () => {
    expect(validateRequest({ action: 'phoenix', reason: 'r'.repeat(500) }).reason).toHaveLength(500);
  });
});

describe('validateRequest on arbitrary input (properties)', () => {
  it('never throws anything but InvalidInput, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        try {
          validateRequest(input);
        } catch (e) {
          return e instanceof InvalidInput && e.message.length > 0;
        }
        return true;
      }),
      propertyRuns(500),
    );
  });

  it('never throws anything but InvalidInput for objects built from the known fields', () => {
    const value = fc.oneof(
      fc.constantFrom('phoenix', 'canary', 'rollback', 'console', 'schedule', AMI, 'ami-1'),
      fc.boolean(),
      fc.jsonValue(),
    );
    const input = fc.dictionary(fc.constantFrom(...INPUT_FIELDS, 'imgeId', '__proto__'), value);
    fc.assert(
      fc.property(input, (i) => {
        try {
          const r = validateRequest(i);
          return ['phoenix', 'canary', 'rollback'].includes(r.action);
        } catch (e) {
          return e instanceof InvalidInput;
        }
      }),
      propertyRuns(500),
    );
  });

  it('keeps every message short, however long the offending values are', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 501, maxLength: 3000 }), fc.string({ maxLength: 2000 }), (a, b) => {
        const message = refusal({ action: 'phoenix', reason: a, imageId: b });
        return message.length < 400;
      }),
      propertyRuns(200),
    );
  });
});

describe('validateRequest for a replace', () => {
  const ID = 'i-0123456789abcdef0';

  it('keeps the instances to replace', () => {
    expect(
      validateRequest({ action: 'replace', instanceIds: [ID], trigger: 'interactive-access' }),
    ).toMatchObject({
      action: 'replace',
      instanceIds: [ID],
      trigger: 'interactive-access',
    });
  });

  it('fails when the list is missing, naming the field and an example', () => {
    expect(refusal({ action: 'replace' })).toContain('instanceIds is required for a replace');
  });

  it('fails when the list is empty', () => {
    expect(refusal({ action: 'replace', instanceIds: [] })).toContain(
      'instanceIds must name at least one instance',
    );
  });

  it('fails on a malformed instance id, naming its position', () => {
    expect(refusal({ action: 'replace', instanceIds: [ID, 'i-xyz'] })).toContain(
      'instanceIds.1 must be an instance id like i-0123456789abcdef0',
    );
  });

  it('fails when an instance is named twice', () => {
    expect(refusal({ action: 'replace', instanceIds: [ID, ID] })).toContain(
      'must not name an instance twice',
    );
  });

  it('fails on more instances than one detach takes', () => {
    const ids = Array.from({ length: 21 }, (_, n) => `i-${n.toString(16).padStart(17, '0')}`);
    expect(refusal({ action: 'replace', instanceIds: ids })).toContain('must name at most 20 instances');
  });

  it('fails on instances for any other action', () => {
    expect(refusal({ action: 'phoenix', instanceIds: [ID] })).toContain(
      'instanceIds is only accepted for a replace',
    );
  });
});
