/**
 * The mapping-template playground's two calls: the bundled example templates
 * (scenarios/templates/NAME.vtl, with NAME.body.* and NAME.vars.json beside it, the files
 * `gateway-lab vtl` takes), and a render through the VTL engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TemplateExample, TemplateInput, TemplateRender } from '../../engine/api/types';
import { TemplateError, renderTemplateDetailed } from '../../engine/vtl';

/**
 * The playground renders on every pause in typing, on the host's own thread: a shorter budget
 * than a gateway request's keeps a runaway template from stalling other calls for long. Real
 * templates render in well under a millisecond.
 */
export const PLAYGROUND_DEADLINE_MS = 500;

const strings = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, val] of Object.entries(v)) out[k] = String(val);
  return out;
};

export function listTemplateExamples(dir: string): TemplateExample[] {
  if (!fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir);
  return files
    .filter((f) => f.endsWith('.vtl'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.vtl'.length);
      const template = fs.readFileSync(path.join(dir, file), 'utf8');
      const bodyFile = files.find((f) => f.startsWith(`${name}.body.`));
      const varsFile = files.includes(`${name}.vars.json`) ? path.join(dir, `${name}.vars.json`) : undefined;
      let vars: { context?: Record<string, unknown>; stageVariables?: unknown; params?: { path?: unknown; querystring?: unknown; header?: unknown } } = {};
      try {
        if (varsFile) vars = JSON.parse(fs.readFileSync(varsFile, 'utf8')) as typeof vars;
      } catch {
        // A broken vars file leaves the example without variables; the CLI reports it.
      }
      const first = template.split('\n').find((l) => l.startsWith('##'));
      const title = first ? first.replace(/^##\s*/, '').replace(/\.$/, '') : name;
      const input: TemplateInput = {
        body: bodyFile ? fs.readFileSync(path.join(dir, bodyFile), 'utf8') : '',
        params: { path: strings(vars.params?.path), querystring: strings(vars.params?.querystring), header: strings(vars.params?.header) },
        context: vars.context && typeof vars.context === 'object' ? vars.context : {},
        stageVariables: strings(vars.stageVariables),
      };
      return { name, title, template, input };
    });
}

export function renderPlayground(template: string, input: TemplateInput): TemplateRender {
  const started = performance.now();
  try {
    const r = renderTemplateDetailed(template, undefined, {
      input: {
        body: input.body ?? '',
        params: { path: { ...input.params?.path }, querystring: { ...input.params?.querystring }, header: { ...input.params?.header } },
      },
      context: { ...input.context },
      stageVariables: { ...input.stageVariables },
      deadlineMs: PLAYGROUND_DEADLINE_MS,
    });
    return {
      status: 'rendered',
      output: r.output,
      reads: r.reads,
      requestOverride: r.requestOverride,
      responseOverride: r.responseOverride,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
  } catch (err) {
    if (err instanceof TemplateError) return { status: 'error', message: err.message.replace(/ at line \d+, column \d+$/, ''), line: err.line, column: err.column };
    throw err;
  }
}
