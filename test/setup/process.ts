import fc from 'fast-check';
import { prepareRehearsalProcess } from '../../rehearsal/process';
import { propertyRuns } from '../support/properties';

// Handlers log and emit metrics through Powertools; keep test output to test results, and give
// the rehearsal what it needs. Set POWERTOOLS_LOG_LEVEL before running jest to see the logs.
prepareRehearsalProcess();

// Every property draws from the same seed in `npm test` (a property that sets no settings of its
// own too); `npm run fuzz` draws a new one. See test/support/properties.ts.
const { seed, numRuns, reporter } = propertyRuns();
fc.configureGlobal({ seed, numRuns, reporter });
