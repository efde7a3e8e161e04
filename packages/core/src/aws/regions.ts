import { allChars, isAsciiDigit, isAsciiLower } from '../text.js';

/** Region codes such as eu-central-1, us-gov-west-1, cn-north-1, ap-southeast-3. */
export function isRegionShape(region: string): boolean {
  const parts = region.split('-');
  if (parts.length < 3 || parts.length > 5) return false;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (first.length !== 2 || !allChars(first, isAsciiLower)) return false;
  if (last.length < 1 || last.length > 2 || !allChars(last, isAsciiDigit)) return false;
  for (let i = 1; i < parts.length - 1; i++) {
    if (!allChars(parts[i] ?? '', isAsciiLower)) return false;
  }
  return true;
}

/**
 * Any region name an SDK accepts: lower-case words of letters and digits joined by single hyphens, 2–50
 * characters, starting with a letter (`us-east-1`, also an emulator's `local`). {@link isRegionShape} is the
 * stricter shape of AWS's own region codes, which training parameters must have.
 */
export function isRegionName(region: string): boolean {
  if (region.length < 2 || region.length > 50 || !isAsciiLower(region.charCodeAt(0))) return false;
  for (const part of region.split('-')) {
    if (part.length === 0 || !allChars(part, (c) => isAsciiLower(c) || isAsciiDigit(c))) return false;
  }
  return true;
}

/** The AWS partitions sme knows (the `aws…` part of an ARN). */
export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f';

/**
 * The partition a region belongs to.
 * Source: partitions of https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json
 *
 * @example
 * partitionOfRegion('cn-north-1'); // 'aws-cn'
 */
export function partitionOfRegion(region: string): AwsPartition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}
