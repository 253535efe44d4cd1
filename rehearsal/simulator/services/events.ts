import type { PutEventsCommandInput, PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { awsError, SimulatorUnsupportedError } from '../errors';

type Out<T> = Omit<T, '$metadata'>;

/** An event put on the simulated account's default bus, as a rule would see it. */
export interface BusEvent {
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly account: string;
  readonly region: string;
  readonly time: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

/**
 * EventBridge PutEvents on the default bus: at most 10 entries, each with a source, a detail type
 * and a JSON object detail of at most 256 KB; accepted events are kept in order for whoever
 * delivers them to rules.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
export class EventsService {
  readonly events: BusEvent[] = [];
  private counter = 0;
  private readonly listeners: Array<(e: BusEvent) => void> = [];

  constructor(
    private readonly place: { readonly accountId: string; readonly region: string },
    private readonly now: () => Date,
  ) {}

  /**
   * An event of an AWS service (Image Builder, Step Functions) on the bus: what the account's
   * services emit themselves, never through PutEvents.
   */
  emit(event: Omit<BusEvent, 'id' | 'account' | 'region' | 'time'>): BusEvent {
    this.counter++;
    const full: BusEvent = {
      ...event,
      id: `rehearsal-event-${this.counter}`,
      account: this.place.accountId,
      region: this.place.region,
      time: this.now().toISOString(),
    };
    this.events.push(full);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /**
   * An event another bus forwarded here (a rule targeting this bus): it arrives as it was put
   * there, its source account and region included.
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
   */
  receive(event: BusEvent): void {
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  /** Called with every event accepted from now on. */
  onEvent(listener: (e: BusEvent) => void): void {
    this.listeners.push(listener);
  }

  putEvents(input: PutEventsCommandInput): Out<PutEventsCommandOutput> {
    const entries = input.Entries ?? [];
    if (entries.length === 0 || entries.length > 10)
      throw awsError('events', 'ValidationException', 'Entries must hold 1 to 10 entries');
    const results = entries.map((e) => {
      if (e.EventBusName && e.EventBusName !== 'default')
        throw new SimulatorUnsupportedError(
          `PutEvents to the bus ${e.EventBusName} is not simulated (the default bus only)`,
        );
      if (!e.Source || !e.DetailType || e.Detail === undefined)
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required' };
      // Only AWS services put events of an aws.* source: nobody can forge one (the entry fails
      // with NotAuthorizedForSourceException, one of PutEventsResultEntry's documented codes).
      if (e.Source.startsWith('aws.'))
        return {
          ErrorCode: 'NotAuthorizedForSourceException',
          ErrorMessage: `Not authorized for the source ${e.Source}`,
        };
      if (Buffer.byteLength(e.Detail) > 262_144)
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Detail is larger than 256 KB' };
      let detail: unknown;
      try {
        detail = JSON.parse(e.Detail);
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
      }
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object' };
      this.counter++;
      const event: BusEvent = {
        id: `rehearsal-event-${this.counter}`,
        source: e.Source,
        'detail-type': e.DetailType,
        account: this.place.accountId,
        region: this.place.region,
        time: (e.Time ?? this.now()).toISOString(),
        resources: [...(e.Resources ?? [])],
        detail,
      };
      this.events.push(event);
      for (const listener of this.listeners) listener(event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }
}
