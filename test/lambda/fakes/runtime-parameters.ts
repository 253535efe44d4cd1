import type { ParameterKind, RuntimeParameters } from '../../../lambda/ledger/ports';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

/** Parameter Store held in memory, by name. */
export class FakeRuntimeParameters implements RuntimeParameters {
  readonly values = new Map<string, { value: string; kind?: ParameterKind }>();
  /** Every write, in order. */
  readonly writes: Array<{ name: string; value: string; kind: ParameterKind }> = [];
  /** The names each read asked for, `get` and `find` alike. */
  readonly reads: string[] = [];
  readonly failures = new Failures<'get' | 'find' | 'put'>();

  constructor(values: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(values)) this.values.set(name, { value });
  }

  async get(name: string): Promise<string> {
    await this.failures.check('get');
    this.reads.push(name);
    const stored = this.values.get(name);
    if (!stored) throw awsError('ParameterNotFound', `Parameter ${name} not found.`);
    return stored.value;
  }

  async find(name: string): Promise<string | undefined> {
    await this.failures.check('find');
    this.reads.push(name);
    return this.values.get(name)?.value;
  }

  async put(name: string, value: string, kind: ParameterKind): Promise<void> {
    await this.failures.check('put');
    this.values.set(name, { value, kind });
    this.writes.push({ name, value, kind });
  }

  /** Every parameter's value, by name. */
  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.values].map(([name, p]) => [name, p.value]));
  }
}
