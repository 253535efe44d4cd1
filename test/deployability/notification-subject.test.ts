import fc from 'fast-check';
import { recordFinish } from '../../lambda/ledger/operations';
import { HANDLER_METADATA } from '../../lib/constructs/rollout/rollout-functions';
import { FakeLedgerStore } from '../lambda/fakes/ledger-store';
import { FakeRuntimeParameters } from '../lambda/fakes/runtime-parameters';
import { execution, fleet, NOW, refreshPlan, request, settings } from '../lambda/fixtures';
import { binaryUnit, propertyRuns } from '../support/properties';
import { ENVS, render, resourcesOf, templateOf } from './template-model';
import type { TemplateJson } from './template-model';

/**
 * SNS Publish takes a Subject that is "UTF-8 text with no line breaks or control characters, and
 * less than 100 characters long"; anything else fails the publish (the e-mail subscribers' subject
 * line). The state machine publishes the subject the ledger's finish step composed.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
const acceptedBySns = (subject: string) =>
  [...subject].length < 100 && !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(subject);

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly ResultPath?: string;
}

function definitionOf(template: TemplateJson): Record<string, State> {
  const [[, machine] = []] = resourcesOf(template, 'AWS::StepFunctions::StateMachine');
  const definition = JSON.parse(render(machine?.Properties?.DefinitionString)) as {
    States: Record<string, State>;
  };
  return definition.States;
}

/** Where each SNS publish of the state machine takes its subject from, and which step writes that. */
function subjectSources(
  template: TemplateJson,
): { state: string; subject: unknown; writer?: string; op?: unknown }[] {
  const states = definitionOf(template);
  return Object.entries(states)
    .filter(([, s]) => s.Type === 'Task' && /:states:::sns:publish$/.test(s.Resource ?? ''))
    .map(([name, s]) => {
      const path = s.Parameters?.['Subject.$'] ?? s.Parameters?.Subject;
      const parent = typeof path === 'string' ? path.replace(/\.subject$/, '') : undefined;
      const [writer] = Object.entries(states).filter(
        ([, w]) => parent !== undefined && w.ResultPath === parent,
      );
      const fn = /^\$\{(\w+)\.Arn\}$/.exec(writer?.[1].Resource ?? '')?.[1];
      const handler = fn
        ? (template.Resources[fn] as { Metadata?: Record<string, unknown> } | undefined)
        : undefined;
      return {
        state: name,
        subject: path,
        ...(handler ? { writer: String(handler.Metadata?.[HANDLER_METADATA]) } : {}),
        op: writer?.[1].Parameters?.op,
      };
    });
}

describe('notification subjects', () => {
  it.each(ENVS)(
    "%s: the state machine's only SNS publish takes its subject from the ledger's finish step",
    (env) => {
      expect(subjectSources(templateOf(env))).toEqual([
        { state: 'Notify Outcome', subject: '$.finished.subject', writer: 'ledger', op: 'finish' },
      ]);
    },
  );

  it('the finish step composes a subject SNS accepts, whatever the error a rollout ends with', async () => {
    const s = settings();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('phoenix' as const, 'canary' as const, 'rollback' as const, 'restore' as const),
        fc.string({ unit: binaryUnit(), maxLength: 300, size: 'max' }),
        fc.boolean(),
        async (action, errorName, unrestored) => {
          const store = new FakeLedgerStore();
          store.record = fleet();
          const { subject } = await recordFinish(
            {
              settings: s,
              execution: execution(),
              document: {
                request: request({ action }),
                plan: refreshPlan(),
                error: { Error: errorName, Cause: 'c' },
                ...(unrestored ? { compensationError: { Error: 'Lambda.Unknown', Cause: 'c' } } : {}),
              },
            },
            { store, parameters: new FakeRuntimeParameters(), now: NOW },
          );
          expect({ subject, accepted: acceptedBySns(subject) }).toEqual({ subject, accepted: true });
        },
      ),
      propertyRuns(),
    );
  });

  describe('the check itself', () => {
    it('refuses what SNS refuses: 100 characters, a line break', () => {
      expect(acceptedBySns('s'.repeat(99))).toBe(true);
      expect(acceptedBySns('s'.repeat(100))).toBe(false);
      expect(acceptedBySns('[dev] canary FAILED (Bad\nError)')).toBe(false);
    });

    it('notices a publish whose subject comes from anywhere else', () => {
      const t = templateOf('dev');
      const [, machine] = resourcesOf(t, 'AWS::StepFunctions::StateMachine')[0] ?? [];
      const join = machine?.Properties?.DefinitionString as { 'Fn::Join': [string, unknown[]] };
      join['Fn::Join'][1] = join['Fn::Join'][1].map((part) =>
        typeof part === 'string'
          ? part.replace('"Subject.$":"$.finished.subject"', '"Subject.$":"$.request.reason"')
          : part,
      );
      expect(subjectSources(t)).toEqual([
        { state: 'Notify Outcome', subject: '$.request.reason', op: undefined },
      ]);
    });
  });
});
