import fc from 'fast-check';
import { MAX_SUBJECT_CHARACTERS, snsSubject } from '../../../lambda/ledger/subject';
import { propertyRuns } from '../../support/properties';

/** What SNS Publish refuses in a Subject: line breaks and control characters. */
const FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}]/u;

describe('snsSubject', () => {
  it('leaves a short, clean subject as it is', () => {
    expect(snsSubject('[prod] canary FAILED (CanaryFailed)')).toBe('[prod] canary FAILED (CanaryFailed)');
  });

  it('reads "less than 100 characters" literally: 99 is the most', () => {
    expect(MAX_SUBJECT_CHARACTERS).toBe(99);
    expect(snsSubject('s'.repeat(99))).toBe('s'.repeat(99));
    expect(snsSubject('s'.repeat(100))).toBe(`${'s'.repeat(96)}...`);
  });

  it('puts one space where line breaks and control characters were', () => {
    expect(snsSubject('a\r\nb\u0007\tc\u2028d')).toBe('a b c d');
  });

  it('counts characters, not UTF-16 code units, and never cuts one in half', () => {
    const subject = snsSubject('😀'.repeat(120));
    expect([...subject]).toHaveLength(99);
    expect(subject).toBe(`${'😀'.repeat(96)}...`);
  });

  it('whatever the text, gives what SNS accepts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400, size: 'max' }), (text) => {
        const subject = snsSubject(text);
        expect([...subject].length).toBeLessThanOrEqual(MAX_SUBJECT_CHARACTERS);
        expect(subject).not.toMatch(FORBIDDEN);
      }),
      propertyRuns(),
    );
  });
});
