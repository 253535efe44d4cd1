import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Notifier } from '../promotion/ports';

/**
 * SNS takes a Publish `Subject` that is "UTF-8 text with no line breaks or control characters,
 * and less than 100 characters long": at most 99, read literally. The e-mail subscribers see it
 * as the subject line.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export const MAX_SUBJECT = 99;

const ELLIPSIS = '...';

/**
 * `text` as an SNS subject: every run of control characters and line or paragraph separators
 * (which an error name from anywhere may carry) becomes one space, and a subject too long for
 * SNS is cut, in whole characters (never half a surrogate pair), and ends in "...".
 */
export function snsSubject(text: string): string {
  const flat = text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  const characters = [...flat];
  if (characters.length <= MAX_SUBJECT) return flat;
  return (
    characters
      .slice(0, MAX_SUBJECT - ELLIPSIS.length)
      .join('')
      .trimEnd() + ELLIPSIS
  );
}

/** The environment's notification topic. */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(subject: string, message: string): Promise<void> {
    await this.sns.send(
      new PublishCommand({ TopicArn: this.topicArn, Subject: snsSubject(subject), Message: message }),
    );
  }
}
