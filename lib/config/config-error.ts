/** Raised at synth (and by the tools) when the configuration breaks a rule or cannot be read. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
