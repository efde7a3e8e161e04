/**
 * Result column names of a `SELECT` from its text. Exasol's scripting API hands a result table without column
 * metadata (rows by index, values also by name: https://docs.exasol.com/db/latest/database_concepts/scripting/db_interaction.htm),
 * so the Lua `SqlPort` learns the names from the statement. Every query sme sends names its columns
 * (`"A", "B"` or `… AS "X"`), which this reads exactly; other items get their text, upper-cased.
 */
export function selectListNames(sql: string): string[] {
  let i = 0;
  while (i < sql.length && sql.charCodeAt(i) <= 32) i++;
  if (upper(sql.substring(i, i + 6)) !== 'SELECT') return [];
  i += 6;
  const items: string[] = [];
  let depth = 0;
  let start = i;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (c === "'" || c === '"') {
      i = skipQuoted(sql, i, c);
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && c === ',') {
      items.push(sql.substring(start, i));
      start = i + 1;
    } else if (depth === 0 && isWordAt(sql, i, 'FROM')) {
      break;
    }
    i++;
  }
  items.push(sql.substring(start, i));
  return items.map((item) => itemName(trim(item)));
}

/** Index after a quoted token starting at `i`; a doubled quote inside is an escaped quote. */
function skipQuoted(text: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < text.length) {
    if (text.charAt(j) === quote) {
      if (text.charAt(j + 1) === quote) j += 2;
      else return j + 1;
    } else j++;
  }
  return j;
}

function isWordChar(c: string): boolean {
  const b = c.charCodeAt(0);
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;
}

function isWordAt(text: string, i: number, word: string): boolean {
  if (upper(text.substring(i, i + word.length)) !== word) return false;
  const before = i > 0 ? text.charAt(i - 1) : ' ';
  const after = text.charAt(i + word.length);
  return !isWordChar(before) && (after === '' || !isWordChar(after));
}

function upper(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    out += b >= 97 && b <= 122 ? String.fromCharCode(b - 32) : s.charAt(i);
  }
  return out;
}

function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return s.substring(a, b);
}

/** `… "X"` → X (quotes undone); `… AS x` / `… x` after a space → X; else the whole item upper-cased. */
function itemName(item: string): string {
  if (item.endsWith('"')) {
    // Walk back to the quote that opens the last identifier, stepping over doubled quotes.
    let j = item.length - 2;
    while (j >= 0) {
      if (item.charAt(j) === '"') {
        if (j > 0 && item.charAt(j - 1) === '"') j -= 2;
        else break;
      } else j--;
    }
    const inner = item.substring(j + 1, item.length - 1);
    return inner.split('""').join('"');
  }
  let k = item.length;
  while (k > 0 && isWordChar(item.charAt(k - 1))) k--;
  if (k > 0 && k < item.length && item.charCodeAt(k - 1) <= 32) return upper(item.substring(k));
  return upper(item);
}
