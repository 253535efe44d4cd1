import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { MAX_SUBJECT, SnsNotifier, snsSubject } from '../../../lambda/aws/sns';
import { binaryUnit, propertyRuns } from '../../support/properties';
import { inputsOf } from '../sdk-mocks';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:immutable-prod-rollouts';
beforeEach(() => sns.reset());

/** What SNS Publish refuses in a Subject: line breaks and control characters. */
const FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}]/u;

describe('SnsNotifier', () => {
  it('publishes to its topic', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await new SnsNotifier(new SNSClient({}), TOPIC).notify('[prod] approve?', 'body');
    expect(inputsOf(sns, PublishCommand)).toEqual([
      { TopicArn: TOPIC, Subject: '[prod] approve?', Message: 'body' },
    ]);
  });

  it('publishes a subject SNS accepts, whatever it is given', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await new SnsNotifier(new SNSClient({}), TOPIC).notify(`[prod]\n${'x'.repeat(150)}`, 'body');
    const [input] = inputsOf(sns, PublishCommand);
    expect(input?.Subject).toBe(`[prod] ${'x'.repeat(89)}...`);
  });
});

describe('snsSubject', () => {
  it('leaves a short, clean subject as it is', () => {
    expect(snsSubject('[prod] canary FAILED (CanaryFailed)')).toBe('[prod] canary FAILED (CanaryFailed)');
  });

  it('reads "less than 100 characters" literally: 99 is the most', () => {
    expect(MAX_SUBJECT).toBe(99);
    expect(snsSubject('s'.repeat(99))).toBe('s'.repeat(99));
    expect(snsSubject('s'.repeat(100))).toBe(`${'s'.repeat(96)}...`);
    expect(snsSubject('x'.repeat(150))).toHaveLength(MAX_SUBJECT);
  });

  it('puts one space where line breaks and control characters were', () => {
    expect(snsSubject('first\nsecond\tthird\u0007')).toBe('first second third');
    expect(snsSubject('a\r\nb\u0007\tc\u2028d')).toBe('a b c d');
  });

  it('counts characters, not UTF-16 code units, and never cuts one in half', () => {
    const subject = snsSubject('😀'.repeat(120));
    expect([...subject]).toHaveLength(99);
    expect(subject).toBe(`${'😀'.repeat(96)}...`);
  });

  it('whatever the text, gives what SNS accepts', () => {
    fc.assert(
      fc.property(fc.string({ unit: binaryUnit(), maxLength: 400, size: 'max' }), (text) => {
        const subject = snsSubject(text);
        expect([...subject].length).toBeLessThanOrEqual(MAX_SUBJECT);
        expect(subject).not.toMatch(FORBIDDEN);
      }),
      propertyRuns(),
    );
  });
});
