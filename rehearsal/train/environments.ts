import type { EnvironmentName } from '../../lambda/shared/environments';
import { parseScenario } from '../scenario';
import type { Scenario } from '../scenario';
import { fleetOf } from './scenario';
import type { TrainImage, TrainScenario } from './scenario';

/**
 * The single-environment scenario that sets up one environment's world in a train: its fleet,
 * every image with the behaviour it has in this environment, and the released image recorded
 * as released everywhere (each environment runs it, so each may return to it).
 */
export function environmentScenario(s: TrainScenario, env: EnvironmentName): Scenario {
  const fleet = fleetOf(s, env);
  const behaviour = (image: TrainImage) => ({
    healthy: image.healthyIn?.[env] ?? image.healthy,
    errorRate: image.errorRateIn?.[env] ?? image.errorRate,
    p99LatencyMs: image.p99LatencyMsIn?.[env] ?? image.p99LatencyMs,
  });
  const released = s.images[s.releasedImage];
  return parseScenario(
    {
      environment: env,
      fleet: { instances: fleet.instances, launchSeconds: fleet.launchSeconds, ageDays: fleet.ageDays },
      releasedImage: s.releasedImage,
      images: Object.fromEntries(
        Object.entries(s.images)
          .filter(([id]) => id !== s.releasedImage)
          .map(([id, image]) => [id, behaviour(image)]),
      ),
      releasedImageBehaviour: { ...(released ? behaviour(released) : {}), releasedIn: [...s.train] },
      // Unused: a train's executions are started by its triggers and by the scenario's faults.
      input: { action: 'phoenix' },
      requestsPerSecond: s.requestsPerSecond,
      lambdaLatencySeconds: s.lambdaLatencySeconds,
      startTime: s.startTime,
    },
    `the train's ${env} environment`,
  );
}
