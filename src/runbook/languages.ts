import type {ExecutorKind} from './model.js';

// Fence languages that run; every other language is display-only.
export const executableLanguages: Readonly<Record<string, ExecutorKind>> = {
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  zsh: 'shell',
  http: 'http',
  js: 'script',
  node: 'script',
};

export function executorForLanguage(lang: string): ExecutorKind | undefined {
  return Object.hasOwn(executableLanguages, lang.toLowerCase()) ? executableLanguages[lang.toLowerCase()] : undefined;
}
