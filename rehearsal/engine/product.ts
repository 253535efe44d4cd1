import type { EnvironmentName } from '../../lambda/shared/environments';
import type { ProductTemplates, StackPlacement } from '../synth';
import { UNPINNED } from '../synth';
import { CompiledStack, IMAGE_FACTORY } from './stack';

/**
 * The product's stacks, each compiled on first use and kept for any number of runs (compiling a
 * state machine validates its definition, which takes up to a second).
 */
export class CompiledProduct {
  private readonly stacks = new Map<string, CompiledStack>();

  constructor(readonly templates: ProductTemplates) {}

  /** The environments the templates hold, in the order they were synthesized (promotion order). */
  environments(): EnvironmentName[] {
    return Object.keys(this.templates.environments);
  }

  has(name: string): boolean {
    return name === IMAGE_FACTORY || name in this.templates.environments;
  }

  /** The stack `name` (an environment, or the image factory), compiled. */
  stack(name: string): CompiledStack {
    let stack = this.stacks.get(name);
    if (!stack) {
      const template =
        name === IMAGE_FACTORY
          ? this.templates.imageFactory
          : (this.templates.environments as Record<string, ProductTemplates['imageFactory']>)[name];
      if (!template)
        throw new Error(
          `${name} is not a stack of this product (its environments: ${this.environments().join(', ')})`,
        );
      stack = new CompiledStack(name, template, this.placement(name));
      this.stacks.set(name, stack);
    }
    return stack;
  }

  /** Where the stack `name` is deployed. */
  placement(name: string): StackPlacement {
    const p = this.templates.placement;
    const environments = p?.environments as Record<string, StackPlacement | undefined> | undefined;
    return (name === IMAGE_FACTORY ? p?.imageFactory : environments?.[name]) ?? UNPINNED;
  }
}
