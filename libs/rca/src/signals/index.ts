export * from './robust-statistics';
