import type { ProductEvents } from '../../../lambda/promotion/ports';
import { Failures } from './failures';

/** The default event bus, remembering what was put on it. */
export class FakeProductEvents implements ProductEvents {
  readonly published: Array<{ source: string; detailType: string; detail: object }> = [];
  readonly failures = new Failures<'publish'>();

  async publish(source: string, detailType: string, detail: object): Promise<void> {
    await this.failures.check('publish');
    this.published.push({ source, detailType, detail: structuredClone(detail) });
  }
}
