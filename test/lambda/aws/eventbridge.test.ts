import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeEvents } from '../../../lambda/aws/eventbridge';
import { inputsOf } from '../sdk-mocks';

const eb = mockClient(EventBridgeClient);
const events = () => new EventBridgeEvents(new EventBridgeClient({}));
beforeEach(() => eb.reset());

describe('EventBridgeEvents.publish', () => {
  it('puts one event on the default bus with the detail as JSON', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    await events().publish('immutable.rollout', 'Image Released', { imageId: 'ami-1' });
    expect(inputsOf(eb, PutEventsCommand)).toEqual([
      {
        Entries: [
          { Source: 'immutable.rollout', DetailType: 'Image Released', Detail: '{"imageId":"ami-1"}' },
        ],
      },
    ]);
  });

  it('fails when EventBridge refused the entry, though the call answered 200', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    await expect(events().publish('s', 'd', {})).rejects.toMatchObject({
      name: 'EventNotPublished',
      message: 'EventBridge refused the d event: InternalFailure try again',
    });
  });

  it('reports a throttled entry as throttling, which the workflow retries', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException' }],
    });
    await expect(events().publish('s', 'd', {})).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});
