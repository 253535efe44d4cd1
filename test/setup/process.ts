import { prepareRehearsalProcess } from '../../rehearsal/process';

// Handlers log and emit metrics through Powertools; keep test output to test results, and give
// the rehearsal what it needs. Set POWERTOOLS_LOG_LEVEL before running jest to see the logs.
prepareRehearsalProcess();
