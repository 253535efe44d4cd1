import type { ImageAvailableDetail } from './events';
import { severitiesAtOrAbove } from './severities';
import type { Severity } from './severities';

/** Why an image's scan keeps it out at `failOnSeverity`, if it does. */
export function scanRefusal(
  detail: Pick<ImageAvailableDetail, 'findings'>,
  failOnSeverity: Severity,
): string | undefined {
  const f = detail.findings;
  if (!f.scanned) return 'was not scanned (no completed vulnerability scan)';
  const counts: Record<Severity, number> = {
    LOW: f.low,
    MEDIUM: f.medium,
    HIGH: f.high,
    CRITICAL: f.critical,
  };
  const blocking = severitiesAtOrAbove(failOnSeverity).reduce((sum, s) => sum + counts[s], 0);
  return blocking > 0 ? `has ${blocking} findings at or above ${failOnSeverity}` : undefined;
}
