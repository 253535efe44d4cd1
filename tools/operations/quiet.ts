/**
 * Imported first by the command entry points: with --scenario the real handlers run in this
 * process, and their loggers read the level once, when their modules load; their lines must not
 * mix with the report on stdout.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
