import { expect, it } from 'vitest';
import { parseClockOffset } from './clock-offset.js';

it.each([
  ['10m', 600],
  ['-10m', -600],
  ['+90s', 90],
  ['1h30m', 5400],
  ['-1h2m3s', -3723],
  ['600', 600],
  ['0', 0],
])('parses --clock-offset %s as %i seconds', (text, seconds) => {
  expect(parseClockOffset(text)).toBe(seconds);
});

it.each(['', 'm', '10x', '10m10m', '1.5m', '10 m', '--10m', 'ten'])('refuses --clock-offset %j', (text) => {
  expect(parseClockOffset(text)).toBeUndefined();
});
