import { NOW } from '../fixtures';

/**
 * Freeze `new Date()` at NOW for the handler under test, and nothing else: promises,
 * timers and the SDK keep running normally.
 */
export function freezeClock(): void {
  beforeEach(() => {
    jest.useFakeTimers({
      now: NOW,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  });
  afterEach(() => jest.useRealTimers());
}
