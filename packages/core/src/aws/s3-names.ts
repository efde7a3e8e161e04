import { allChars, isAllDigits, isAsciiAlnum, isAsciiDigit, isAsciiLower } from '../text.js';

function isBucketChar(code: number): boolean {
  return isAsciiLower(code) || isAsciiDigit(code) || code === 46 || code === 45;
}

function isLowerAlnum(code: number): boolean {
  return isAsciiLower(code) || isAsciiDigit(code);
}

const FORBIDDEN_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const FORBIDDEN_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * Why `name` is not a valid general-purpose S3 bucket name, or undefined when it is.
 * Rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function bucketNameProblem(name: string): string | undefined {
  if (!allChars(name, isBucketChar)) {
    return 'a bucket name may hold only lower-case letters, digits, dots and hyphens';
  }
  if (name.length < 3 || name.length > 63) return 'a bucket name has 3 to 63 characters';
  if (!isLowerAlnum(name.charCodeAt(0)) || !isLowerAlnum(name.charCodeAt(name.length - 1))) {
    return 'a bucket name starts and ends with a letter or digit';
  }
  if (name.includes('..')) return 'a bucket name has no two adjacent dots';
  const parts = name.split('.');
  if (parts.length === 4 && parts.every((p) => p.length > 0 && p.length <= 3 && isAllDigits(p))) {
    return 'a bucket name must not look like an IP address';
  }
  for (const prefix of FORBIDDEN_PREFIXES) {
    if (name.startsWith(prefix)) return 'a bucket name must not start with ' + prefix;
  }
  for (const suffix of FORBIDDEN_SUFFIXES) {
    if (name.endsWith(suffix)) return 'a bucket name must not end with ' + suffix;
  }
  return undefined;
}

/** True for a valid general-purpose S3 bucket name (see {@link bucketNameProblem}). */
export function isBucketName(name: string): boolean {
  return bucketNameProblem(name) === undefined;
}

function isKeyChar(code: number): boolean {
  // AWS's "safe characters" for object keys: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
  return (
    isAsciiAlnum(code) ||
    code === 33 ||
    code === 45 ||
    code === 95 ||
    code === 46 ||
    code === 42 ||
    code === 39 ||
    code === 40 ||
    code === 41
  );
}

/**
 * Why `path` is not a relative key prefix of safe segments, or undefined when it is. Expects no trailing slash.
 */
export function keyPrefixProblem(path: string): string | undefined {
  if (path.length === 0) return 'it is empty';
  if (path.startsWith('/')) return 'it must be relative (no leading slash)';
  for (const segment of path.split('/')) {
    if (segment.length === 0) return 'it has an empty segment (two slashes in a row)';
    if (segment === '.' || segment === '..') return "it must not contain '.' or '..' segments";
    if (!allChars(segment, isKeyChar)) {
      return "its segments may hold only letters, digits and !-_.*'()";
    }
  }
  return undefined;
}
