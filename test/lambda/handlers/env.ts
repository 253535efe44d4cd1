/** Run `body` with these environment variables set (and the others as they were), then put them back. */
export async function withEnv<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await body();
  } finally {
    process.env = saved;
  }
}
