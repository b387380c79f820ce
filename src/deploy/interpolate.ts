// Docker Compose's variable interpolation (compose-spec "Interpolation"), to read docker-compose.yml's
// values as Compose would without Docker: `$$` is a literal `$`; `${VAR}` and `$VAR`; `${VAR:-default}`
// (unset or empty) and `${VAR-default}` (unset); `${VAR:?message}` / `${VAR?message}` fail;
// `${VAR:+alt}` / `${VAR+alt}` substitute when set. Defaults may nest further `${…}`.

export class InterpolationError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      out += expand(text.slice(i + 2, end), env);
      i = end + 1;
    } else {
      const m = NAME.exec(text.slice(i + 1));
      if (!m) throw new InterpolationError(`invalid "$" at ${i} in ${JSON.stringify(text)}: write $$ for a literal $`);
      out += env[m[0]] ?? '';
      i += 1 + m[0].length;
    }
  }
  return out;
}

/** The names of the variables `text` refers to (in defaults too), in order of first use. */
export function variables(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.replace(/\$\$/g, '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
  return [...names];
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '$' && text[j + 1] === '$') j++;
    else if (text[j] === '$' && text[j + 1] === '{') {
      depth++;
      j++;
    } else if (text[j] === '}' && --depth === 0) return j;
  }
  throw new InterpolationError(`unclosed "\${" in ${JSON.stringify(text)}`);
}

function expand(body: string, env: Readonly<Record<string, string | undefined>>): string {
  const m = NAME.exec(body);
  if (!m) throw new InterpolationError(`invalid variable name in "\${${body}}"`);
  const name = m[0];
  const rest = body.slice(name.length);
  const value = env[name];
  if (rest === '') return value ?? '';
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op) throw new InterpolationError(`invalid "\${${body}}": expected :-, -, :?, ?, :+ or + after ${name}`);
  const arg = rest.slice(op.length);
  const set = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
  switch (op.replace(':', '')) {
    case '-':
      return set ? value! : interpolate(arg, env);
    case '+':
      return set ? interpolate(arg, env) : '';
    default: // '?'
      if (!set) throw new InterpolationError(`${name} is required: ${interpolate(arg, env) || 'not set'}`);
      return value!;
  }
}
