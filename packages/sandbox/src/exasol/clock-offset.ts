/**
 * Parses `--clock-offset`: a signed duration with a unit (`10m`, `-90s`, `1h`, `+2m30s`) or plain seconds
 * (`600`), into whole seconds. Returns undefined for anything else.
 *
 * @example
 * parseClockOffset('10m'); // 600
 * parseClockOffset('-1h30m'); // -5400
 */
export function parseClockOffset(text: string): number | undefined {
  const match = /^([+-]?)(?:(\d+)|((?:\d+[hms])+))$/.exec(text.trim());
  if (match === null) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  if (match[2] !== undefined) return sign * Number(match[2]);
  const seen = new Set<string>();
  let seconds = 0;
  for (const part of (match[3] ?? '').matchAll(/(\d+)([hms])/g)) {
    const unit = part[2] ?? 's';
    if (seen.has(unit)) return undefined;
    seen.add(unit);
    seconds += Number(part[1]) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  }
  return sign * seconds;
}
