export * from './promotion-workflow';
