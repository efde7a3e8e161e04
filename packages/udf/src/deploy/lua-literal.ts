/**
 * A Lua string literal for any text: double-quoted, with `\\` escaped and quotes and every byte outside printable
 * ASCII written as a decimal escape (`\ddd`), so the literal is one line, means exactly the original UTF-8 bytes
 * (Lua 5.4 manual §3.1: "\ddd" is a byte given by up to three decimal digits) and shows an SQL tokenizer no
 * stray quote.
 */
export function luaStringLiteral(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '"';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x27) out += String.fromCharCode(b);
    else out += '\\' + String(b).padStart(3, '0');
  }
  return out + '"';
}
