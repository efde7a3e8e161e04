import { allChars, isAllDigits, isAsciiAlnum, isAsciiLower } from '../text.js';

function isRoleNameChar(code: number): boolean {
  // [\w+=,.@-]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
  return (
    isAsciiAlnum(code) ||
    code === 95 ||
    code === 43 ||
    code === 61 ||
    code === 44 ||
    code === 46 ||
    code === 64 ||
    code === 45
  );
}

function isRolePathChar(code: number): boolean {
  return isRoleNameChar(code) || code === 47;
}

/** The role ARN shape of CreateAutoMLJobV2's RoleArn: arn:aws[a-z-]*:iam::<12 digits>:role/<name>. */
export function isRoleArn(text: string): boolean {
  if (text.length < 20 || text.length > 2048) return false;
  const parts = text.split(':');
  if (parts.length !== 6) return false;
  const partition = parts[1] ?? '';
  if (parts[0] !== 'arn' || !partition.startsWith('aws') || parts[2] !== 'iam' || parts[3] !== '') return false;
  if (partition.length > 3 && !allChars(partition.slice(3), (c) => isAsciiLower(c) || c === 45)) return false;
  const account = parts[4] ?? '';
  if (account.length !== 12 || !isAllDigits(account)) return false;
  const resource = parts[5] ?? '';
  return resource.startsWith('role/') && allChars(resource.slice(5), isRolePathChar);
}

/** A bare IAM role name: 1–64 characters of letters, digits and +=,.@_-. */
export function isRoleName(text: string): boolean {
  return text.length <= 64 && allChars(text, isRoleNameChar);
}

/**
 * A role name with an optional path, as IAM allows: `Name` or `service-role/Name` (segments of letters, digits
 * and +=,.@_-, the name at most 64 characters, the whole at most 512).
 */
export function isRolePathName(text: string): boolean {
  if (text.length === 0 || text.length > 512) return false;
  const segments = text.split('/');
  if ((segments[segments.length - 1] ?? '').length > 64) return false;
  return segments.every((s) => s.length > 0 && allChars(s, isRoleNameChar));
}

/**
 * `arn:<partition>:iam::<account>:role/<name>`: the ARN of a role (name with optional path) of an account.
 *
 * @example
 * roleArnFor('aws', '123456789012', 'service-role/SageMaker'); // 'arn:aws:iam::123456789012:role/service-role/SageMaker'
 */
export function roleArnFor(partition: string, account: string, name: string): string {
  return 'arn:' + partition + ':iam::' + account + ':role/' + name;
}
