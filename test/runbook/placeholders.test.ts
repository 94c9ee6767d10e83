import {describe, expect, it} from 'vitest';
import {angleCandidates, isFillInValue, maskPlaceholders, placeholderName, variableReference} from '../../src/runbook/placeholders.js';
import {readScript} from '../../src/runbook/shell-reading.js';

const found = async (script: string): Promise<string[]> =>
  (await readScript(script)).placeholders.map((placeholder) => `${placeholder.kind} ${placeholder.name} ${placeholder.written}`);

// what `runnableScript` runs, from the reading (no session in these)
const filled = async (script: string): Promise<string> => {
  const {replacements} = await readScript(script);
  let out = '';
  let from = 0;
  for (const {start, end, text} of [...replacements].sort((a, b) => a.start - b.start)) {
    out += script.slice(from, start) + text;
    from = end;
  }
  return out + script.slice(from);
};

describe('placeholders, lexically', () => {
  it('finds `<…>` but not redirections, here-documents, process substitutions or HTML', () => {
    const script = 'oc debug node/<node-name>\ncat <<EOF >out 2>&1\n<html>\nEOF\ndiff <(ls a) <(ls b)\nkubectl get <CR> <CR_OBJECT> -n <namespace>\nsort <in >out\necho "<value of instance label from alert>"';
    expect(angleCandidates(script).map((candidate) => candidate.inner)).toEqual(['node-name', 'CR', 'CR_OBJECT', 'namespace', 'value of instance label from alert']);
  });

  it('masks each placeholder as a word of the same length', () => {
    expect(maskPlaceholders("oc -n <namespace> get '<node name>'")).toBe("oc -n _namespace_ get '_node_name_'");
  });

  it('names the input in upper case with `_`, and keeps clear of the environment\'s own names', () => {
    expect(['node-name', 'Node-name', 'node name', 'vmi_pod', 'value of instance label from alert', 'user', 'path', '9lives'].map(placeholderName))
      .toEqual(['NODE_NAME', 'NODE_NAME', 'NODE_NAME', 'VMI_POD', 'VALUE_OF_INSTANCE_LABEL_FROM_ALERT', 'USER_VALUE', 'PATH_VALUE', '_9LIVES']);
  });

  it('knows the values that mean "fill this in"', () => {
    expect(['<value of namespace label from alert>', 'CHANGEME', 'change-me', 'your-token', 'YOUR_PROJECT', 'XXX', 'TODO'].every(isFillInValue)).toBe(true);
    expect(['prod', 'yours', 'changemore', '<a>b', 'x'].some(isFillInValue)).toBe(false);
  });

  it('writes the variable so that its value stays one word in every quoting', () => {
    expect(variableReference('POD', 'bare')).toBe('"${POD}"');
    expect(variableReference('POD', 'double')).toBe('${POD}');
    expect(variableReference('POD', 'single')).toBe('\'"${POD}"\'');
    expect(variableReference('POD', 'ansi')).toBe('\'"${POD}"$\'');
  });
});

describe('placeholders, as the shell parser reads them', () => {
  it('finds angle placeholders in bare words, double and single quotes, and unquoted here-documents', async () => {
    expect(await found("oc debug node/<node-name>\necho \"in <namespace>\" 'and <pod>'\ncat <<EOF\nname: <name>\nEOF\n")).toEqual([
      'angle NODE_NAME <node-name>', 'angle NAMESPACE <namespace>', 'angle POD <pod>', 'angle NAME <name>',
    ]);
  });

  it('replaces each with a reference to its environment variable, quoted for where it is', async () => {
    expect(await filled("oc debug node/<node-name>\necho \"in <namespace>\" 'and <pod>!'\n")).toBe("oc debug node/\"${NODE_NAME}\"\necho \"in ${NAMESPACE}\" 'and '\"${POD}\"'!'\n");
    expect(await filled('echo "$(oc get pod <pod> -o name)"')).toBe('echo "$(oc get pod "${POD}" -o name)"');
  });

  it('leaves comments alone and reports `<…>` in a quoted here-document as not fillable', async () => {
    const reading = await readScript("# run it on <node-name>\ncat <<'EOF'\nname: <name>\nEOF\n");
    expect(reading.placeholders).toEqual([]);
    expect(reading.unfillable.map((each) => each.written)).toEqual(['<name>']);
  });

  it('reads fill-in assignments as inputs named after the variable, their value replaced', async () => {
    const script = "PVC_NAME='<persistentvolumeclaim label from alert>'\nexport DENO_ACCESS_TOKEN=\"<insert-token-here>\"\nAPI_KEY=CHANGEME\nPROJECT=your-project\nNODE=worker-1\noc -n $NAMESPACE describe pvc $PVC_NAME\n";
    expect(await found(script)).toEqual([
      "fill-in PVC_NAME '<persistentvolumeclaim label from alert>'", 'fill-in DENO_ACCESS_TOKEN "<insert-token-here>"', 'fill-in API_KEY CHANGEME', 'fill-in PROJECT your-project',
    ]);
    expect((await filled(script)).split('\n').slice(0, 4)).toEqual(['PVC_NAME="${PVC_NAME}"', 'export DENO_ACCESS_TOKEN="${DENO_ACCESS_TOKEN}"', 'API_KEY="${API_KEY}"', 'PROJECT="${PROJECT}"']);
  });

  it('a value given for a filled-in placeholder reaches the command as one word, metacharacters and all', async () => {
    const {execFileSync} = await import('node:child_process');
    const script = await filled("printf '[%s]\\n' node/<node-name> \"<node-name>\" '<node-name>'");
    const output = execFileSync('bash', ['-c', script], {env: {PATH: process.env['PATH'], NODE_NAME: 'a b; $(touch x) \'"*'}, encoding: 'utf8'});
    expect(output).toBe('[node/a b; $(touch x) \'"*]\n[a b; $(touch x) \'"*]\n[a b; $(touch x) \'"*]\n');
  });
});
