export * from './environment-operations';
export * from './interactive-access';
export * from './operated-workflow';
