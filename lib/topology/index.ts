export * from './place';
export * from './topology';
