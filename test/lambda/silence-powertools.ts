// Handlers log and emit metrics through Powertools; keep test output to test results.
// Set either variable before running jest to see what the handlers would log.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
