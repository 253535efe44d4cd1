import type { PublishCommandInput, PublishCommandOutput } from '@aws-sdk/client-sns';
import { awsError, SimulatorUnsupportedError } from '../errors';
import type { Place } from '../place';

type Out<T> = Omit<T, '$metadata'>;

export interface PublishedMessage {
  readonly topicArn?: string;
  readonly subject?: string;
  readonly message: string;
  readonly at: Date;
}

const invalidParameter = (message: string) => awsError('sns', 'InvalidParameter', message);

/**
 * SNS Publish, captured. Subject: "UTF-8 text with no line breaks or control characters, and
 * less than 100 characters long" (so 100 is refused too); message at most 256 KB; the topic must
 * exist (NotFound: "Indicates that the requested resource does not exist").
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export class SnsService {
  readonly published: PublishedMessage[] = [];
  private counter = 0;

  /** The topics that exist, by ARN. */
  readonly topics = new Set<string>();

  constructor(private readonly place: Pick<Place, 'now'>) {}

  publish(input: PublishCommandInput): Out<PublishCommandOutput> {
    if (input.PhoneNumber !== undefined || input.TargetArn !== undefined)
      throw new SimulatorUnsupportedError('SNS Publish to a phone number or endpoint is not simulated');
    if (input.Message === undefined || input.Message === '')
      throw invalidParameter('Invalid parameter: Empty message');
    if (Buffer.byteLength(input.Message) > 262_144)
      throw invalidParameter('Invalid parameter: Message too long');
    if (
      input.TopicArn !== undefined &&
      !/^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/.test(input.TopicArn)
    )
      throw invalidParameter(
        `Invalid parameter: TopicArn Reason: ${input.TopicArn} is not a valid topic ARN`,
      );
    if (input.TopicArn === undefined)
      throw invalidParameter(
        'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    if (!this.topics.has(input.TopicArn)) throw awsError('sns', 'NotFound', 'Topic does not exist');
    if (input.Subject !== undefined) {
      const characters = [...input.Subject].length;
      if (characters === 0 || characters >= 100 || /[\p{Cc}\p{Zl}\p{Zp}]/u.test(input.Subject))
        throw invalidParameter('Invalid parameter: Subject');
    }
    if (input.MessageStructure !== undefined && input.MessageStructure !== 'json')
      throw invalidParameter(`Invalid parameter: MessageStructure ${input.MessageStructure}`);
    this.published.push({
      ...(input.TopicArn !== undefined ? { topicArn: input.TopicArn } : {}),
      ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
      message: input.Message,
      at: this.place.now(),
    });
    this.counter++;
    return { MessageId: `00000000-0000-4000-8000-${this.counter.toString(16).padStart(12, '0')}` };
  }
}
