import type { TaskTokens } from '../../../lambda/promotion/ports';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

/** Tasks waiting for their tokens, answered once each (an answered or unknown token is TaskTimedOut, as in Step Functions). */
export class FakeTaskTokens implements TaskTokens {
  readonly waiting = new Set<string>();
  readonly answers: Array<{ token: string; output?: object; error?: string; cause?: string }> = [];
  readonly failures = new Failures<'succeed' | 'fail'>();

  async succeed(token: string, output: object): Promise<void> {
    await this.failures.check('succeed');
    this.answer(token);
    this.answers.push({ token, output });
  }

  async fail(token: string, error: string, cause: string): Promise<void> {
    await this.failures.check('fail');
    this.answer(token);
    this.answers.push({ token, error, cause });
  }

  private answer(token: string): void {
    if (!this.waiting.delete(token))
      throw awsError(
        'TaskTimedOut',
        'The task token has either expired or the task associated with the token has already been closed.',
      );
  }
}
