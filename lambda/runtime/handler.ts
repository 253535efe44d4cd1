import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Observability shared by every handler: structured logs and CloudWatch metrics (EMF).
 * Service name and namespace come from POWERTOOLS_* environment variables set by the
 * workflow construct; the defaults keep local runs readable.
 */
export const logger = new Logger({ serviceName: 'immutable-rollout' });
export const metrics = new Metrics({ namespace: 'ImmutableFleet', serviceName: 'immutable-rollout' });

/**
 * Wrap a step's domain function as a Lambda handler: log its start and outcome with the
 * execution id, flush metrics, and let errors propagate unchanged so the state machine can
 * retry or catch them by name.
 */
export function stepHandler<E extends { execution?: { id: string } }, R>(
  step: string,
  run: (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  return async (event: E) => {
    logger.appendKeys({ step, execution: event.execution?.id });
    try {
      const result = await run(event);
      logger.info(`${step} finished`, { result: result as Record<string, unknown> });
      return result;
    } catch (error) {
      logger.warn(`${step} failed`, { error: error as Error });
      throw error;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

/**
 * What the state machine sends a step: its event without the settings, which the step takes
 * from its deployment whatever the payload says (see lambda/shared/step-settings.ts). Distributes
 * over a union of events, keeping each one's discriminant.
 */
export type Payload<E> = E extends unknown ? Omit<E, 'settings'> : never;
