export * from './environment-operations';
export * from './interactive-access';
export * from './operated-workflow';
export * from './dashboard';
export * from './fleet-check';
export * from './fleet-metrics';
