/**
 * A rule a construct's property must keep, defined once, next to the construct that relies on
 * it: the construct checks its props with it, and the configuration schema (lib/config) reports
 * it under the config field, as `<env>.<field> <message>, got <value>`.
 */
export interface Rule<T> {
  readonly test: (value: T) => boolean;
  /** Follows the field's name: "must be …". */
  readonly message: string;
}

/** A whole number in [min, max]; `why` says where the bounds come from. */
export const wholeNumber = (min: number, max: number, why?: string): Rule<number> => ({
  test: (v) => Number.isInteger(v) && v >= min && v <= max,
  message: `must be a whole number ${min}-${max}${why ? ` (${why})` : ''}`,
});

/** A string matching `pattern`. */
export const matches = (pattern: RegExp, message: string): Rule<string> => ({
  test: (v) => pattern.test(v),
  message,
});

/** A TCP port the application listens on. */
export const TCP_PORT = wholeNumber(1, 65535);

/**
 * An encrypted gp3 root volume, as both the image recipe and the fleet's launch template define
 * it: gp3 volumes are 1-16384 GiB, and the Amazon Linux 2023 root snapshot is 8 GiB.
 * @see https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html
 */
export const ROOT_VOLUME_GIB = wholeNumber(8, 16384, 'gp3, at least the 8 GiB AL2023 root');

/**
 * The path the load balancer (and the image test) checks the application's health on.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export const HEALTH_CHECK_PATH = matches(/^\/\S*$/, 'must be an absolute path such as /health');

/**
 * The application's name: part of every Image Builder resource name (where `_` separates the
 * recipe fingerprint, see bake/content-name.ts), the system user the service runs as, and the
 * syslog identifier whose file (`/var/log/<app>/<app>.log`) the fleet's CloudWatch agent ships.
 */
export const APP_NAME = matches(
  /^[a-z][a-z0-9-]{1,40}$/,
  'must be 2-41 lower-case letters, digits and dashes, starting with a letter',
);
