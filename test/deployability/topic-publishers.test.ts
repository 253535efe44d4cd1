import {
  ENVS,
  STACKS,
  allowsAction,
  asArray,
  globMatches,
  render,
  resourcesOf,
  servicePrincipals,
  factoryTemplateOf,
  stackTemplateOf,
  templateOf,
} from './template-model';
import type { Statement, TemplateJson } from './template-model';

/** A service that publishes to a topic: who, from which resource, and the ARN it publishes from. */
interface Publisher {
  readonly topic: string;
  readonly service: 'cloudwatch.amazonaws.com' | 'events.amazonaws.com';
  readonly source: string;
  /** The ARN the service names as aws:SourceArn when it publishes. */
  readonly sourceArn: string;
}

const ACCOUNT = '${AWS::AccountId}';
const topicIds = (template: TemplateJson) =>
  new Set(resourcesOf(template, 'AWS::SNS::Topic').map(([id]) => id));
const topicOf = (value: unknown, topics: Set<string>) => {
  const ref = (value as { Ref?: string } | undefined)?.Ref;
  return ref !== undefined && topics.has(ref) ? ref : undefined;
};

/** Every alarm action and every rule target that is one of the stack's topics. */
function publishers(template: TemplateJson): Publisher[] {
  const topics = topicIds(template);
  const alarms = [
    ...resourcesOf(template, 'AWS::CloudWatch::Alarm'),
    ...resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm'),
  ].flatMap(([id, alarm]) => {
    const p = alarm.Properties ?? {};
    const actions = [
      ...asArray(p.AlarmActions),
      ...asArray(p.OKActions),
      ...asArray(p.InsufficientDataActions),
    ];
    const sourceArn = `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:${ACCOUNT}:alarm:${render(p.AlarmName ?? id)}`;
    return actions.flatMap((a): Publisher[] => {
      const topic = topicOf(a, topics);
      return topic ? [{ topic, service: 'cloudwatch.amazonaws.com', source: id, sourceArn }] : [];
    });
  });
  const rules = resourcesOf(template, 'AWS::Events::Rule').flatMap(([id, rule]) =>
    asArray(rule.Properties?.Targets as { Arn: unknown }[]).flatMap((target): Publisher[] => {
      const topic = topicOf(target.Arn, topics);
      return topic
        ? [{ topic, service: 'events.amazonaws.com', source: id, sourceArn: `\${${id}.Arn}` }]
        : [];
    }),
  );
  return [...alarms, ...rules];
}

/** The statements of the topic policies that apply to a topic. */
function topicPolicy(template: TemplateJson, topic: string): Statement[] {
  return resourcesOf(template, 'AWS::SNS::TopicPolicy')
    .filter(([, p]) => asArray(p.Properties?.Topics).some((t) => render(t) === `\${${topic}}`))
    .flatMap(([, p]) => asArray(p.Properties?.PolicyDocument?.Statement as Statement[]));
}

const conditionValue = (s: Statement, operator: string, key: string): string | undefined => {
  const block = s.Condition?.[operator];
  const value = block?.[key];
  return value === undefined ? undefined : render(value);
};

/**
 * A topic policy replaces SNS's default policy, so a service that publishes needs its own Allow.
 * CloudWatch's must be scoped to this account (aws:SourceAccount) and its alarms (aws:SourceArn),
 * as CloudWatch documents against the confused deputy. EventBridge documents the statement
 * without a condition; a condition, if any, must still let this rule through.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/US_SetupSNS.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 */
function allowsPublisher(statements: Statement[], p: Publisher): boolean {
  return statements.some((s) => {
    if (s.Effect !== 'Allow' || !servicePrincipals(s).includes(p.service)) return false;
    if (!allowsAction(s, 'sns:Publish')) return false;
    const resources = asArray(s.Resource).map(render);
    if (!resources.some((r) => r === '*' || r === `\${${p.topic}}`)) return false;
    const account = conditionValue(s, 'StringEquals', 'aws:SourceAccount');
    const source =
      conditionValue(s, 'ArnLike', 'aws:SourceArn') ?? conditionValue(s, 'ArnEquals', 'aws:SourceArn');
    if (p.service === 'cloudwatch.amazonaws.com')
      return account === ACCOUNT && source !== undefined && globMatches(source, p.sourceArn);
    return (
      (account === undefined || account === ACCOUNT) &&
      (source === undefined || globMatches(source, p.sourceArn))
    );
  });
}

/**
 * An encrypted topic takes a service's messages only if the key policy lets that service use the
 * key: kms:GenerateDataKey* and kms:Decrypt.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-troubleshooting.html
 */
function keyAllowsPublisher(template: TemplateJson, p: Publisher): boolean {
  const topic = template.Resources[p.topic];
  const key = topic?.Properties?.KmsMasterKeyId as { 'Fn::GetAtt'?: string[] } | undefined;
  if (key === undefined) return true;
  const keyId = key['Fn::GetAtt']?.[0];
  const statements = asArray(
    template.Resources[keyId ?? '']?.Properties?.KeyPolicy?.Statement as Statement[] | undefined,
  );
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      servicePrincipals(s).includes(p.service) &&
      allowsAction(s, 'kms:GenerateDataKey') &&
      allowsAction(s, 'kms:Decrypt'),
  );
}

function publisherFindings(template: TemplateJson): string[] {
  return publishers(template).flatMap((p) => [
    ...(allowsPublisher(topicPolicy(template, p.topic), p)
      ? []
      : [`${p.topic}: the topic policy does not let ${p.service} publish for ${p.source}`]),
    ...(keyAllowsPublisher(template, p)
      ? []
      : [`${p.topic}: its key does not let ${p.service} encrypt for ${p.source}`]),
  ]);
}

/** Topics nobody is subscribed to: what they publish reaches no one. */
function unheardTopics(template: TemplateJson): string[] {
  const subscribed = new Set(
    resourcesOf(template, 'AWS::SNS::Subscription').map(([, s]) => render(s.Properties?.TopicArn)),
  );
  return [...topicIds(template)].filter(
    (t) =>
      !subscribed.has(`\${${t}}`) && asArray(template.Resources[t]?.Properties?.Subscription).length === 0,
  );
}

describe('topics vs the services that publish to them', () => {
  it.each(ENVS)(
    '%s: the dead-letter, fleet-age, drift and refused-restore alarms publish to the rollout topic (the rule has something to check)',
    (env) => {
      const alarm = (name: string) =>
        `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:immutable-${env}-${name}`;
      const pairs = publishers(templateOf(env)).map((p) => JSON.stringify([p.service, p.sourceArn]));
      expect([...new Set(pairs)].map((p) => JSON.parse(p) as unknown).sort()).toEqual(
        [
          ['cloudwatch.amazonaws.com', alarm('rollout-trigger-dead-letters')],
          ['cloudwatch.amazonaws.com', alarm('fleet-age')],
          ['cloudwatch.amazonaws.com', alarm('drift')],
          ['cloudwatch.amazonaws.com', alarm('automatic-restores-refused')],
        ].sort(),
      );
    },
  );

  it("image factory: the dead-letter alarm of its image events publishes to the factory's topic", () => {
    expect(publishers(factoryTemplateOf()).map((p) => [p.service, p.sourceArn])).toEqual([
      [
        'cloudwatch.amazonaws.com',
        'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:immutable-web-image-event-dead-letters',
      ],
    ]);
  });

  it.each(STACKS)(
    "%s: every alarm and rule that publishes to a topic is allowed by the topic's policy and key",
    (stack) => {
      expect(publisherFindings(stackTemplateOf(stack))).toEqual([]);
    },
  );

  it.each(STACKS)('%s: every topic has a subscriber', (stack) => {
    expect(unheardTopics(stackTemplateOf(stack))).toEqual([]);
  });

  describe('the checks themselves', () => {
    it('fail on the rollout topic as it was: a TLS-only policy replacing the default one', () => {
      const t = templateOf('dev');
      for (const [, policy] of resourcesOf(t, 'AWS::SNS::TopicPolicy')) {
        const doc = policy.Properties?.PolicyDocument as { Statement: Statement[] };
        doc.Statement = doc.Statement.filter((s) => s.Effect === 'Deny');
      }
      const findings = publisherFindings(t);
      expect(findings).toContain(
        'RolloutNotifications4B6B4BC0: the topic policy does not let cloudwatch.amazonaws.com publish for RolloutTriggerDeadLettersAlarm68BDF69F',
      );
      // one finding per alarm action that publishes to the topic
      expect(findings).toHaveLength(publishers(templateOf('dev')).length);
    });

    it('fail when the Allow is not scoped to the account, or scoped to other alarms', () => {
      const t = templateOf('dev');
      const allow = topicPolicy(t, 'RolloutNotifications4B6B4BC0').find((s) => s.Effect === 'Allow') as {
        Condition: Record<string, Record<string, unknown>>;
      };
      const scoped = structuredClone(allow.Condition);
      delete allow.Condition.StringEquals;
      const alarmActions = publishers(templateOf('dev')).length;
      expect(publisherFindings(t)).toHaveLength(alarmActions);
      allow.Condition = {
        ...scoped,
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:*:*:alarm:someone-else-*' },
      };
      expect(publisherFindings(t)).toHaveLength(alarmActions);
    });

    it("fail when the topic's key does not let CloudWatch use it", () => {
      const t = templateOf('dev');
      const key = t.Resources.RolloutTopicKeyCF42F2AE?.Properties?.KeyPolicy as { Statement: Statement[] };
      key.Statement = key.Statement.filter((s) => !servicePrincipals(s).includes('cloudwatch.amazonaws.com'));
      expect(publisherFindings(t)).toContain(
        'RolloutNotifications4B6B4BC0: its key does not let cloudwatch.amazonaws.com encrypt for RolloutTriggerDeadLettersAlarm68BDF69F',
      );
    });

    it('fail when a rule targets a topic that does not let EventBridge publish', () => {
      const t = templateOf('dev');
      const [, rule] = resourcesOf(t, 'AWS::Events::Rule')[0] ?? [];
      (rule?.Properties?.Targets as { Arn: unknown }[]).push({
        Arn: { Ref: 'RolloutNotifications4B6B4BC0' },
      });
      expect(publisherFindings(t)).toEqual([
        expect.stringMatching(
          /^RolloutNotifications4B6B4BC0: the topic policy does not let events\.amazonaws\.com publish/,
        ),
        expect.stringMatching(
          /^RolloutNotifications4B6B4BC0: its key does not let events\.amazonaws\.com encrypt/,
        ),
      ]);
    });

    it("fail on the factory's topic as it was: a policy that lets no alarm publish", () => {
      const t = factoryTemplateOf();
      for (const [, policy] of resourcesOf(t, 'AWS::SNS::TopicPolicy')) {
        const doc = policy.Properties?.PolicyDocument as { Statement: Statement[] };
        doc.Statement = doc.Statement.filter((s) => s.Effect === 'Deny');
      }
      expect(publisherFindings(t)).toEqual([
        expect.stringMatching(
          /^BakeNotificationsTopic\w+: the topic policy does not let cloudwatch\.amazonaws\.com publish for EventsDeadLettersAlarm\w+$/,
        ),
      ]);
    });

    it('fail when a topic has no subscriber', () => {
      const t = templateOf('dev');
      for (const [id] of resourcesOf(t, 'AWS::SNS::Subscription'))
        delete (t.Resources as Record<string, unknown>)[id];
      expect(unheardTopics(t).sort()).toEqual([...topicIds(t)].sort());
    });
  });
});
