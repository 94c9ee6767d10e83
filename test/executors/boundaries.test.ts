import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';

const sources = (folder: string): string[] => readdirSync(folder, {recursive: true, encoding: 'utf8'})
  .filter((name) => name.endsWith('.ts'))
  .map((name) => join(folder, name));

describe('module boundaries', () => {
  it('executors import nothing of the engine: the engine uses them, not the other way', () => {
    const reaching = sources('src/executors').filter((path) => /from '(?:\.\.\/)+engine\//.test(readFileSync(path, 'utf8')));
    expect(reaching).toEqual([]);
  });

  it('the kinds\' descriptors import no executor module: reading a runbook loads no executor', () => {
    const descriptors = sources('src/executors/kinds').filter((path) => /descriptor\.ts$|index\.ts$|kind\.ts$/.test(path));
    const importsExecutor = descriptors.filter((path) => /(?:import|from) ?\(?'[^']*(?:executor|shell|script|run-process|loaders)\.js'/.test(readFileSync(path, 'utf8')));
    expect(importsExecutor).toEqual([]);
  });
});
