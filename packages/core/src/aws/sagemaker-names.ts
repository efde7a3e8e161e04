import { isAsciiAlnum, isAsciiDigit, isAsciiLower } from '../text.js';

/** SageMaker names (endpoint, endpoint config, model): `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`. */
export function isSageMakerName(name: string): boolean {
  if (name.length === 0 || name.length > 63) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isAsciiAlnum(c) && !(c === 45 && i > 0 && i < name.length - 1)) return false;
  }
  return true;
}

/** Hosting instance types look like `ml.m5.large`, `ml.g4dn.xlarge`, `ml.m5d.24xlarge`. */
export function isInstanceTypeShape(text: string): boolean {
  if (text.length > 64 || !text.startsWith('ml.')) return false;
  const parts = text.slice(3).split('.');
  if (parts.length < 2) return false;
  for (const part of parts) {
    if (part.length === 0) return false;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (!isAsciiLower(c) && !isAsciiDigit(c) && c !== 45) return false;
    }
  }
  return true;
}
