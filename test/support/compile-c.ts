import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Compile C `sources` into `output` with `compiler` when the output is missing, older than any of `inputs`,
 * or was built with other arguments (recorded next to it). Writes a temporary file and renames it, so a
 * process that has the old one loaded keeps a valid mapping and parallel test processes never see half a file.
 */
export function compileC(compiler: string, output: string, sources: readonly string[], args: readonly string[], inputs: readonly string[] = sources): string {
  const command = JSON.stringify([compiler, ...args, ...sources]);
  const recorded = `${output}.command`;
  const newest = Math.max(...inputs.map((file) => statSync(file).mtimeMs));
  const upToDate = existsSync(output) && statSync(output).mtimeMs >= newest && existsSync(recorded) && readFileSync(recorded, 'utf8') === command;
  if (upToDate) return output;
  mkdirSync(dirname(output), { recursive: true });
  const temporary = `${output}.${process.pid}.tmp`;
  execFileSync(compiler, [...args, '-o', temporary, ...sources], { stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(temporary, output);
  writeFileSync(recorded, command);
  return output;
}

