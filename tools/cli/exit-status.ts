/**
 * The exit statuses of every command line of the product, so a script (or CI) can tell a
 * negative answer from a mistake in the command and from a run that never happened.
 */
export const EXIT = {
  /** Done: what was asked happened, or the answer is "all well". */
  ok: 0,
  /** Done, and the answer is a failure the tool reports: drift found, an approval refused. */
  failed: 1,
  /** The command line is wrong (an unknown flag, a missing or bad value): nothing was done. */
  usage: 2,
  /** Could not run: a file it reads is missing or invalid, AWS unreachable or refusing, a crash. */
  couldNotRun: 3,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/**
 * The usage text's last lines: what 0 and 1 mean for this command (1 is left out when the
 * command has no failure of its own to report), then the shared 2 and 3.
 */
export function exitStatusHelp(meanings: { readonly ok: string; readonly failed?: string }): string {
  const lines = [
    `0 ${meanings.ok}`,
    ...(meanings.failed ? [`1 ${meanings.failed}`] : []),
    '2 a usage error (nothing was done)',
    '3 could not run (a file, AWS or the run itself failed; DEBUG=1 shows the stack trace)',
  ];
  return `exit status: ${lines.join(', ')}`;
}
