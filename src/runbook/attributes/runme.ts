import type {NodeAttributes, PromptEnv} from '../model.js';
import {interpreterCommand, interpreterExamples} from '../interpreters.js';
import type {AttributeHost} from './schema.js';
import type {AttributeToken} from './tokenize.js';

// Runme's own cell attributes (docs.runme.dev/configuration/cell-level),
// read beside ours: the ones with a meaning here are mapped to the model,
// the ones about Runme's notebook UI are accepted and said to be ignored.
// Runme's `interactive`, `background` and `cwd` are ours already (see
// schema.ts); what `cwd` is relative to is decided per document (see
// `isRunmeDocument` and docs/dialect.md, "Runme compatibility").

type PairOrFlag = Extract<AttributeToken, {kind: 'flag' | 'pair'}>;

// Runme keys with no effect here: its notebook's terminal and output
// rendering, and its task grouping.
const ignoredKeys = ['terminalRows', 'closeTerminalOnSuccess', 'openTerminalOnError', 'category', 'tag', 'mimeType', 'mimetype'] as const;
const mappedKeys = ['name', 'id', 'excludeFromRunAll', 'ignore', 'transform', 'promptEnv', 'skipPrompts', 'interpreter'] as const;

export const runmeKeys: readonly string[] = [...mappedKeys, ...ignoredKeys];

export function isRunmeKey(key: string): boolean {
  return runmeKeys.includes(key);
}

// A Runme cell name or ULID (`01HF7BT3HEQBTBM9SSTKQENPT3`, which starts
// with a digit) as a node id: letters, digits, `_` and `-`.
export const runmeIdPattern = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export interface RunmeProblem {
  readonly severity: 'error' | 'warning' | 'info';
  readonly ruleId: string;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface RunmeTyped {
  // from `name`, else from `id`
  readonly id?: {readonly value: string; readonly start: number; readonly end: number; readonly key: 'name' | 'id'};
  readonly attributes: Partial<Pick<NodeAttributes, 'run' | 'promptEnv' | 'interpreter'>>;
  readonly problems: RunmeProblem[];
}

// Runme reads booleans with Go's strconv.ParseBool.
const runmeTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const runmeFalse = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function runmeBoolean(token: PairOrFlag): boolean | undefined {
  if (token.kind === 'flag') return true;
  if (runmeTrue.has(token.value)) return true;
  if (runmeFalse.has(token.value)) return false;
  return undefined;
}

// `promptEnv`'s modes as Runme documents them, with the spellings its code
// also takes (`true`/`false`, `1`/`0`).
const promptEnvModes: Readonly<Record<string, PromptEnv>> = {
  auto: 'auto', '': 'auto',
  always: 'always', yes: 'always', true: 'always', '1': 'always',
  never: 'never', no: 'never', false: 'never', '0': 'never',
};

// Types the Runme keys of one attribute set (tokens whose key `isRunmeKey`).
// `hostLabel` names the block in messages, as schema.ts does.
export function typeRunmeAttributes(tokens: readonly PairOrFlag[], host: AttributeHost, hostLabel: string): RunmeTyped {
  const problems: RunmeProblem[] = [];
  const attributes: {run?: boolean; promptEnv?: PromptEnv; interpreter?: string} = {};
  const byKey = new Map<string, PairOrFlag>();
  for (const token of tokens) {
    if (byKey.has(token.key)) {
      problems.push({severity: 'error', ruleId: 'duplicate-attribute', start: token.start, end: token.end,
        message: `Unexpected second \`${token.key}\`, expected each attribute once`});
      continue;
    }
    byKey.set(token.key, token);
  }
  const at = (token: PairOrFlag): {start: number; end: number} =>
    ({start: token.kind === 'pair' ? token.valueStart : token.start, end: token.end});

  // `name` is the id Runme's CLI runs a cell by (`runme run NAME`), so it
  // wins over the ULID `id` its notebook adds to every cell.
  let id: RunmeTyped['id'];
  for (const key of ['name', 'id'] as const) {
    const token = byKey.get(key);
    if (token === undefined || id !== undefined) continue;
    if (token.kind === 'flag' || token.value === '') continue;
    if (!runmeIdPattern.test(token.value)) {
      problems.push({severity: 'warning', ruleId: 'invalid-id', ...at(token),
        message: `Unexpected ${key} \`${token.value}\`, expected letters, digits, \`_\` or \`-\` to use it as the block's id; the block gets a derived id`});
      continue;
    }
    id = {value: token.value, start: token.start, end: token.end, key};
  }

  // Each of these keeps the block from running, as `run=false` does.
  const notRun: string[] = [];
  for (const key of ['excludeFromRunAll', 'ignore'] as const) {
    const token = byKey.get(key);
    if (token === undefined) continue;
    const value = runmeBoolean(token);
    if (value === undefined) problems.push(invalidBoolean(token, at(token)));
    else if (value) notRun.push(key);
  }
  const transform = byKey.get('transform');
  if (transform !== undefined) {
    const value = runmeBoolean(transform);
    if (value === undefined) problems.push(invalidBoolean(transform, at(transform)));
    else if (!value) notRun.push('transform');
  }
  if (notRun.length > 0) attributes.run = false;

  const promptEnv = byKey.get('promptEnv');
  if (promptEnv !== undefined) {
    const mode = promptEnvModes[promptEnv.kind === 'flag' ? 'always' : promptEnv.value.toLowerCase()];
    if (mode === undefined) {
      problems.push({severity: 'warning', ruleId: 'invalid-attribute', ...at(promptEnv),
        message: `Unexpected \`${promptEnv.kind === 'pair' ? promptEnv.value : ''}\` for \`promptEnv\`, expected \`auto\`, \`always\` (\`yes\`) or \`never\` (\`no\`); read as \`auto\``});
      attributes.promptEnv = 'auto';
    } else {
      attributes.promptEnv = mode;
    }
  }
  const skipPrompts = byKey.get('skipPrompts');
  if (skipPrompts !== undefined) {
    const value = runmeBoolean(skipPrompts);
    if (value === undefined) problems.push(invalidBoolean(skipPrompts, at(skipPrompts)));
    else if (value && attributes.promptEnv === undefined) attributes.promptEnv = 'never';
  }

  const interpreter = byKey.get('interpreter');
  if (interpreter !== undefined) {
    if (interpreter.kind === 'flag' || interpreter.value.trim() === '') {
      problems.push({severity: 'error', ruleId: 'invalid-attribute', ...at(interpreter),
        message: 'Unexpected empty `interpreter`, expected a program such as `bash -x` or `python3`'});
    } else if (host === 'shell' && interpreterCommand(interpreter.value) === undefined) {
      problems.push({severity: 'error', ruleId: 'invalid-attribute', ...at(interpreter),
        message: `Unexpected interpreter \`${interpreter.value}\`, expected a program runbook can hand a block to: ${interpreterExamples}`});
    } else if (host === 'shell') {
      attributes.interpreter = interpreter.value.trim();
    } else {
      problems.push({severity: 'info', ruleId: 'runme-ignored', start: interpreter.start, end: interpreter.end,
        message: `Runme attribute \`interpreter\` on ${hostLabel} is ignored: only shell blocks take another interpreter here`});
    }
  }

  const ignored = ignoredKeys.flatMap((key) => {
    const token = byKey.get(key);
    return token === undefined ? [] : [token];
  });
  const first = ignored[0];
  if (first !== undefined) {
    const last = ignored.at(-1) ?? first;
    const names = ignored.map((token) => `\`${token.key}\``);
    problems.push({severity: 'info', ruleId: 'runme-ignored', start: Math.min(...ignored.map((token) => token.start)), end: Math.max(last.end, first.end),
      message: `Runme attribute${names.length === 1 ? '' : 's'} ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} ignored: ${names.length === 1 ? 'it is' : 'they are'} about Runme's notebook, not about running the block`});
  }
  return {...(id === undefined ? {} : {id}), attributes, problems};
}

function invalidBoolean(token: PairOrFlag, place: {start: number; end: number}): RunmeProblem {
  return {severity: 'error', ruleId: 'invalid-attribute', ...place,
    message: `Unexpected \`${token.kind === 'pair' ? token.value : ''}\` for \`${token.key}\`, expected \`true\` or \`false\``};
}
