/** `gateway-lab <command>`: run and check scenarios, render templates, benchmarks, the app. */
import type { CliIO } from './io';

const HELP = `Gateway Lab: see every step of an AWS API Gateway request.

Usage: gateway-lab <command> [options]

Commands:
  run <scenario>... [--brief] [--quiet]
                             Run every step of scenarios; print AWS-style execution logs and
                             PASS/FAIL per step. Exit 0 all passed, 1 a check failed, 2 invalid file.
                             --brief: one line per pipeline step instead of the execution log;
                             --quiet: only the PASS/FAIL lines.
  check <file|dir>...        Validate scenario files (directories are searched recursively).
  index [dir] [--check]      Write <dir>/README.md, the scenario library's index (default dir:
                             scenarios); --check only reports whether it is up to date.
  serve <scenario|openapi> [--port N] [--quiet]
                             Serve the API on 127.0.0.1 (real HTTP) and print each request's log
                             (--quiet: only the first lines).
  export <scenario|openapi> [--out FILE]
                             The API as OpenAPI 3.0 with x-amazon-apigateway-* extensions.
  vtl <template> --body <json-file> [--vars <json-file>]
                             Render an API Gateway mapping template.
  start [--port <n>]         Start the desktop app on the bundled scenarios (in the browser
                             where the Electron binary is not installed).
  web [--port <n>] [file...] Serve the app on http://127.0.0.1 (--port 0, the default, picks a
                             free port) until Ctrl+C. Files are added to the scenario list.
  help                       Show this help.
`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return (await import('./commands/run')).runCommand(rest, io);
    case 'check':
      return (await import('./commands/check')).checkCommand(rest, io);
    case 'index':
      return (await import('./commands/index')).indexCommand(rest, io);
    case 'serve':
      return (await import('./commands/serve')).serveCommand(rest, io);
    case 'export':
      return (await import('./commands/export')).exportCommand(rest, io);
    case 'vtl':
      return (await import('./commands/vtl')).vtlCommand(rest, io);
    case 'web':
      return (await import('./commands/web')).webCommand(rest, io);
    case 'start':
      return (await import('./commands/start')).startCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(HELP);
      return 0;
    default:
      io.stderr(`gateway-lab: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}
