/**
 * Read a required environment variable once, at cold start. A missing one is a deployment
 * defect: fail loudly with its name rather than run with a blank.
 */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value)
    throw new Error(`environment variable ${name} is not set; the function was deployed without it`);
  return value;
}
