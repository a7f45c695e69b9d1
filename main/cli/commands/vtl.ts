import fs from 'node:fs';
import { TemplateError, renderTemplateDetailed, type RenderOptions } from '../../../engine/vtl';

const USAGE = `usage: gateway-lab vtl <template-file> [--body <file>] [--vars <json-file>] [--trace]

Renders an API Gateway mapping template as API Gateway does.
  --body <file>       the request (or integration response) body, as raw text; empty if omitted
  --vars <json-file>  {"context": {...}, "stageVariables": {...}, "params": {"path": {}, "querystring": {}, "header": {}}}
  --trace             also print what the template read and wrote to $context overrides (stderr)
`;

interface VarsFile {
  context?: Record<string, unknown>;
  stageVariables?: Record<string, string>;
  params?: { path?: Record<string, string>; querystring?: Record<string, string>; header?: Record<string, string> };
}

function readText(file: string, what: string, io: { stderr: (s: string) => void }): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.stderr(`${file}: cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return null;
  }
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, val] of Object.entries(v)) out[k] = String(val);
  return out;
}

/** `gateway-lab vtl <template-file> --body <file> [--vars <json-file>]`: render a mapping template. */
export async function vtlCommand(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  let templateFile: string | undefined;
  let bodyFile: string | undefined;
  let varsFile: string | undefined;
  let trace = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--body' || arg === '--vars') {
      const value = argv[++i];
      if (value === undefined) {
        io.stderr(`gateway-lab vtl: ${arg} needs a file\n${USAGE}`);
        return 2;
      }
      if (arg === '--body') bodyFile = value;
      else varsFile = value;
    } else if (arg === '--trace') {
      trace = true;
    } else if (arg === '--help' || arg === '-h') {
      io.stdout(USAGE);
      return 0;
    } else if (arg?.startsWith('--') || templateFile !== undefined) {
      io.stderr(`gateway-lab vtl: unexpected argument "${arg}"\n${USAGE}`);
      return 2;
    } else {
      templateFile = arg;
    }
  }
  if (templateFile === undefined) {
    io.stderr(USAGE);
    return 2;
  }

  const template = readText(templateFile, 'the template', io);
  if (template === null) return 1;
  const body = bodyFile === undefined ? '' : readText(bodyFile, 'the body', io);
  if (body === null) return 1;
  let vars: VarsFile = {};
  if (varsFile !== undefined) {
    const text = readText(varsFile, 'the variables', io);
    if (text === null) return 1;
    try {
      vars = JSON.parse(text) as VarsFile;
    } catch (e) {
      io.stderr(`${varsFile}: not valid JSON: ${(e as Error).message}\n`);
      return 1;
    }
  }

  const options: RenderOptions = {
    input: {
      body,
      params: { path: stringRecord(vars.params?.path), querystring: stringRecord(vars.params?.querystring), header: stringRecord(vars.params?.header) },
    },
    context: vars.context ?? {},
    stageVariables: stringRecord(vars.stageVariables),
  };
  try {
    const result = renderTemplateDetailed(template, undefined, options);
    io.stdout(result.output);
    if (trace) {
      io.stderr(`${JSON.stringify({ reads: result.reads, requestOverride: result.requestOverride, responseOverride: result.responseOverride }, null, 2)}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof TemplateError) {
      const message = e.message.replace(/ at line \d+, column \d+$/, '');
      io.stderr(`${templateFile}:${e.line}:${e.column} ${message}\n`);
      return 1;
    }
    throw e;
  }
}
