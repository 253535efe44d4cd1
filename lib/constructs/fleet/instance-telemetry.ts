import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Where the user data writes the agent's configuration. Any name works for a file handed to
 * `fetch-config`; AWS suggests one under the agent's `etc` directory.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Configuration-File-Details.html
 */
export const AGENT_CONFIGURATION_PATH = '/opt/aws/amazon-cloudwatch-agent/etc/immutable-fleet.json';

/** The agent's control script, as the package installs it. */
const AGENT_CTL = '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl';

/** What an environment's instances ship, and where. */
export interface InstanceTelemetryProps {
  /**
   * The application the image carries: its unit logs under this syslog identifier, which the
   * image's rsyslog writes to `/var/log/<app>/<app>.log`.
   */
  readonly appName: string;
  /** The fleet's log group, which the instance role may write (it may not create one). */
  readonly logGroupName: string;
  /** The namespace of the memory and disk metrics, the one the instance role may publish to. */
  readonly metricsNamespace: string;
}

/**
 * The CloudWatch agent's configuration for one environment's instances: the application's log,
 * the system log, the security log and cloud-init's output to the fleet's log group, one stream
 * per instance and file; memory and root-disk use to the fleet's namespace, by image (from
 * instance metadata: no EC2 API call, which isolated subnets have no endpoint for). No retention
 * setting: the stack owns the group's retention, and the agent setting it would need
 * logs:PutRetentionPolicy.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Configuration-File-Details.html
 */
export function agentConfiguration(p: InstanceTelemetryProps): Record<string, unknown> {
  const file = (path: string, stream: string) => ({
    file_path: path,
    log_group_name: p.logGroupName,
    log_stream_name: `{instance_id}/${stream}`,
  });
  return {
    agent: { metrics_collection_interval: 60, run_as_user: 'root' },
    metrics: {
      namespace: p.metricsNamespace,
      append_dimensions: { ImageId: '${aws:ImageId}', InstanceId: '${aws:InstanceId}' },
      aggregation_dimensions: [['ImageId']],
      metrics_collected: {
        mem: { measurement: ['mem_used_percent'] },
        disk: { measurement: ['used_percent'], resources: ['/'], drop_device: true },
      },
    },
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            file(`/var/log/${p.appName}/${p.appName}.log`, 'app'),
            file('/var/log/messages', 'messages'),
            file('/var/log/secure', 'secure'),
            file('/var/log/cloud-init-output.log', 'cloud-init'),
          ],
        },
      },
    },
  };
}

/**
 * The launch template's user data: at first boot, write this environment's agent configuration
 * and (re)start the agent with it. One image serves every environment, so the image installs and
 * enables the agent without a configuration (the agent's unit exits at boot until it has one);
 * `fetch-config` translates this file, keeps it for later boots and restarts the agent (`-s`).
 * Rollouts build each launch-template version from the default one, so every version carries it.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Agent-commandline-fleet.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html
 */
export function instanceTelemetryUserData(p: InstanceTelemetryProps): ec2.UserData {
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'set -euo pipefail',
    `cat > ${AGENT_CONFIGURATION_PATH} <<'JSON'`,
    JSON.stringify(agentConfiguration(p), null, 2),
    'JSON',
    `chmod 0644 ${AGENT_CONFIGURATION_PATH}`,
    `${AGENT_CTL} -a fetch-config -m ec2 -s -c file:${AGENT_CONFIGURATION_PATH}`,
  );
  return userData;
}
