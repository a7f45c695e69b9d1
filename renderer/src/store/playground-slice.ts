/**
 * The mapping-template playground's state: the template, the body and the variables being
 * edited, and the engine's latest rendering of them. Renders follow typing: one call at a time,
 * and while one runs only the newest text waits, so a slow template never piles up calls.
 */
import type { TemplateInput } from '../../../engine/api/types';
import type { PlaygroundSlice, Slice } from './types';

/** A pause in typing this long renders. */
const DEBOUNCE_MS = 120;

const STARTER = `## A request template: reshape the client's JSON for the backend.
#set($body = $input.path('$'))
{
  "name": "$util.escapeJavaScript($body.name)",
  "stage": "$context.stage",
  "tags": [#foreach($t in $body.tags)"$t"#if($foreach.hasNext), #end#end]
}
`;
const STARTER_BODY = '{"name": "Rex", "tags": ["dog", "good"]}';
const STARTER_VARS = JSON.stringify({ context: { stage: 'prod' }, stageVariables: {}, params: { path: {}, querystring: {}, header: {} } }, null, 2);

/** The variables document as a TemplateInput (without the body), or the reason it is not one. */
export function parseVars(text: string): { input: Omit<TemplateInput, 'body'> } | { error: string } {
  if (text.trim() === '') return { input: {} };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { error: `The variables are not JSON: ${(e as Error).message}` };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { error: 'The variables must be a JSON object: {"context": {…}, "stageVariables": {…}, "params": {…}}' };
  const o = v as Record<string, unknown>;
  const unknownKeys = Object.keys(o).filter((k) => !['context', 'stageVariables', 'params'].includes(k));
  if (unknownKeys.length) return { error: `Unknown key${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `"${k}"`).join(', ')}: use context, stageVariables and params` };
  const strings = (x: unknown) => Object.fromEntries(Object.entries(x && typeof x === 'object' ? (x as Record<string, unknown>) : {}).map(([k, val]) => [k, String(val)]));
  const params = (o.params ?? {}) as Record<string, unknown>;
  return {
    input: {
      context: (o.context && typeof o.context === 'object' ? o.context : {}) as Record<string, unknown>,
      stageVariables: strings(o.stageVariables),
      params: { path: strings(params.path), querystring: strings(params.querystring), header: strings(params.header) },
    },
  };
}

export const createPlaygroundSlice: Slice<PlaygroundSlice> =
  ({ api, attempt }) =>
  (set, get) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let again = false;

    const render = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const { template, templateBody, templateVars } = get();
          const vars = parseVars(templateVars);
          if ('error' in vars) {
            set({ varsError: vars.error });
            continue;
          }
          const result = await attempt(api.renderTemplate(template, { body: templateBody, ...vars.input }));
          // Text typed meanwhile renders next; this result is still the best one on screen until then.
          if (result) set({ rendered: result, varsError: null, ...(result.status === 'rendered' ? { lastOutput: result.output } : {}) });
        } while (again);
      } finally {
        running = false;
      }
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void render(), DEBOUNCE_MS);
    };

    return {
      templates: [],
      templateName: null,
      template: STARTER,
      templateBody: STARTER_BODY,
      templateVars: STARTER_VARS,
      rendered: null,
      lastOutput: null,
      varsError: null,

      async loadTemplates() {
        if (get().templates.length === 0) {
          const templates = await attempt(api.listTemplates());
          if (templates) set({ templates });
        }
        if (!get().rendered) void render();
      },

      pickTemplate(name) {
        const t = get().templates.find((x) => x.name === name);
        if (!t) return;
        const { body, ...vars } = t.input;
        set({ templateName: name, template: t.template, templateBody: body ?? '', templateVars: JSON.stringify(vars, null, 2) });
        clearTimeout(timer);
        void render();
      },

      setTemplateText(patch) {
        set(patch);
        schedule();
      },
    };
  };
