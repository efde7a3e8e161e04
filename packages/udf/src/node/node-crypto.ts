import { createHash, createHmac } from 'node:crypto';
import type { ByteString } from '../lua/sigv4/bytes.js';
import type { Sha256Crypto } from '../lua/sigv4/crypto.js';

/** The UTF-8 bytes of `text` as a byte string (what the same text is in Lua). */
export function utf8ToByteString(text: string): ByteString {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** The text whose UTF-8 bytes are `bytes`. */
export function byteStringToUtf8(bytes: ByteString): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** `Sha256Crypto` over node:crypto. */
export const nodeSha256Crypto: Sha256Crypto = {
  sha256Hex(data: ByteString): string {
    return createHash('sha256').update(Buffer.from(data, 'latin1')).digest('hex');
  },
  hmacSha256(key: ByteString, data: ByteString): ByteString {
    return createHmac('sha256', Buffer.from(key, 'latin1'))
      .update(Buffer.from(data, 'latin1'))
      .digest()
      .toString('latin1');
  },
};
