import type { EnvironmentName } from '../../lambda/shared/environments';
import type { PromotionSettings, WorkflowSettings } from '../../lambda/shared/settings';
import { SimulatedDeployment } from '../deployment';
import type { CfnTemplate } from '../deployment';
import { CompiledMachine } from '../run/compiled-machine';
import { parseScenario } from '../scenario';
import type { Scenario } from '../scenario';
import { deployedEnvironment } from '../deployed-environment';
import { fleetOf } from './scenario';
import type { TrainImage, TrainScenario } from './scenario';

/** One environment's stack, compiled once for any number of trains. */
export class TrainEnvironment {
  readonly rollout: CompiledMachine;
  readonly settings: WorkflowSettings;
  /** Absent in the environment that takes the image factory's images. */
  readonly promotion?: CompiledMachine;
  readonly promotionSettings?: PromotionSettings;

  constructor(
    readonly name: EnvironmentName,
    readonly deployment: SimulatedDeployment,
  ) {
    const deployed = deployedEnvironment(deployment);
    this.rollout = new CompiledMachine(deployment, deployed.rolloutStateMachine);
    this.settings = deployed.settings;
    if (deployed.promotionStateMachine && deployed.promotion) {
      this.promotion = new CompiledMachine(deployment, deployed.promotionStateMachine);
      this.promotionSettings = deployed.promotion;
    }
  }

  static fromTemplate(name: EnvironmentName, template: CfnTemplate): TrainEnvironment {
    return new TrainEnvironment(name, new SimulatedDeployment(template, { stackName: `immutable-${name}` }));
  }
}

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
