import {kindForLanguage, kinds} from '../executors/kinds/index.js';
import type {ExecutorKind} from './model.js';

// Fence languages that run, from the kinds' descriptors; every other language is display-only.
export const executableLanguages: Readonly<Record<string, ExecutorKind>> = Object.fromEntries(
  kinds.flatMap((descriptor) => descriptor.languages.map((lang) => [lang, descriptor.kind])),
);

export function executorForLanguage(lang: string): ExecutorKind | undefined {
  return kindForLanguage(lang)?.kind;
}
