import type { Notifier } from '../../../lambda/promotion/ports';
import { Failures } from './failures';

/** The notification topic, remembering each message. */
export class FakeNotifier implements Notifier {
  readonly sent: Array<{ subject: string; message: string }> = [];
  readonly failures = new Failures<'notify'>();

  async notify(subject: string, message: string): Promise<void> {
    await this.failures.check('notify');
    this.sent.push({ subject, message });
  }
}
