import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { MAX_SUBJECT, SnsNotifier, snsSubject } from '../../../lambda/aws/sns';
import { inputsOf } from '../sdk-mocks';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:immutable-prod-rollouts';
beforeEach(() => sns.reset());

describe('SnsNotifier', () => {
  it('publishes to its topic', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await new SnsNotifier(new SNSClient({}), TOPIC).notify('[prod] approve?', 'body');
    expect(inputsOf(sns, PublishCommand)).toEqual([
      { TopicArn: TOPIC, Subject: '[prod] approve?', Message: 'body' },
    ]);
  });
});

describe('snsSubject', () => {
  it('keeps a subject under 100 characters, as SNS requires', () => {
    expect(snsSubject('x'.repeat(150))).toHaveLength(MAX_SUBJECT);
    expect(MAX_SUBJECT).toBeLessThan(100);
    expect(snsSubject('x'.repeat(99))).toBe('x'.repeat(99));
  });

  it('puts a subject on one line without control characters', () => {
    expect(snsSubject('first\nsecond\tthird\u0007')).toBe('first second third');
  });
});
