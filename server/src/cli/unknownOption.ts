// "Unknown option '--max-warning'. Did you mean '--max-warnings'?": what node:util's parseArgs
// says about an option it does not know, with the closest known one, for every CLI command.

import { closestName } from '../core/suggest';
import { escapeControl } from './escape';

interface OptionSpec {
  type: string;
  short?: string;
}

/** The message for a parseArgs error; for any other error, its own message, made safe to print. */
export function parseArgsErrorMessage(err: Error & { code?: string }, options: Record<string, OptionSpec>): string {
  // Node's own text here spans lines; it is said in one line, with the option escaped.
  const ambiguous = /^Option '([^']*)' argument is ambiguous/.exec(err.message);
  if (ambiguous) {
    const shortName = /^-(\w)$/.exec(ambiguous[1]!)?.[1];
    const long = shortName ? Object.keys(options).find((o) => options[o]!.short === shortName) : undefined;
    const name = long ? `--${long}` : /--[\w-]+/.exec(ambiguous[1]!)?.[0] ?? escapeControl(ambiguous[1]!);
    return `Option '${name}' needs a value; write a value that starts with a dash as ${name}=VALUE.`;
  }
  const m = /Unknown option '([^']*)'/.exec(err.message);
  if (err.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || !m) return escapeControl(err.message);
  const given = m[1]!;
  const long = Object.keys(options).map((o) => `--${o}`);
  const short = Object.values(options).flatMap((o) => (o.short ? [`-${o.short}`] : []));
  // `-quiet` is a long option written with one dash; `-q` a short one, suggested from the list.
  const near = given.startsWith('--') ? closestName(given, long) : given.length > 2 ? closestName(`-${given}`, long) : undefined;
  const shown = escapeControl(given.length > 100 ? `${given.slice(0, 100)}…` : given);
  const hint = near ? ` Did you mean '${near}'?` : given.length === 2 && !given.startsWith('--') ? ` The short options are ${short.join(' ')}.` : '';
  return `Unknown option '${shown}'.${hint}`;
}
