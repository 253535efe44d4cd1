import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { ProductEvents } from '../promotion/ports';

/** The account's default event bus. */
export class EventBridgeEvents implements ProductEvents {
  constructor(private readonly events: EventBridgeClient) {}

  async publish(source: string, detailType: string, detail: object): Promise<void> {
    const out = await this.events.send(
      new PutEventsCommand({
        Entries: [{ Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }],
      }),
    );
    // PutEvents answers 200 even when an entry was refused: the entry says so.
    // @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
    const refused = out.Entries?.find((e) => e.ErrorCode);
    if ((out.FailedEntryCount ?? 0) > 0 || refused) {
      throw Object.assign(
        new Error(
          `EventBridge refused the ${detailType} event: ${refused?.ErrorCode ?? 'unknown'} ${refused?.ErrorMessage ?? ''}`,
        ),
        { name: refused?.ErrorCode === 'ThrottlingException' ? 'ThrottlingException' : 'EventNotPublished' },
      );
    }
  }
}
