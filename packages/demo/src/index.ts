/**
 * Public API of @sme/demo: the implementation of `sme demo` (the cli loads this package when it is installed) and
 * its sample data.
 */
export { run } from './demo.js';
export { generateCustomers, SAMPLE_COLUMNS } from './sample-data.js';
export type { SampleColumn, SampleRow } from './sample-data.js';
