// Frontmatter keys that belong to other tools: Runme's own, and those of the
// site generators runbooks are published with (Hugo, Docusaurus, Jekyll,
// MkDocs). They are accepted without a word and have no effect here.

// Runme's document-level settings (docs.runme.dev/configuration/document-level).
// Its `shell` and `cwd` are ours too; what `cwd` is relative to is in
// docs/dialect.md, "Runme compatibility".
export const runmeFrontmatterKeys = ['runme', 'category', 'tag', 'terminalRows', 'skipPrompts'] as const;

export const siteGeneratorFrontmatterKeys = [
  // Hugo
  'aliases', 'author', 'authors', 'categories', 'date', 'description', 'draft', 'expiryDate', 'headless', 'images', 'keywords',
  'lastmod', 'layout', 'linkTitle', 'menu', 'outputs', 'publishDate', 'series', 'slug', 'summary', 'tags', 'toc', 'translationKey',
  'type', 'url', 'weight', 'params', 'cascade', 'build', 'resources', 'markup', 'isCJKLanguage', 'sitemap',
  // Docusaurus
  'id', 'sidebar_label', 'sidebar_position', 'sidebar_class_name', 'sidebar_custom_props', 'displayed_sidebar', 'hide_title',
  'hide_table_of_contents', 'toc_min_heading_level', 'toc_max_heading_level', 'pagination_label', 'pagination_next', 'pagination_prev',
  'parse_number_prefixes', 'custom_edit_url', 'image', 'last_update', 'unlisted', 'format',
  // Jekyll
  'permalink', 'published', 'category', 'excerpt',
  // MkDocs (Material)
  'template', 'hide', 'search', 'status', 'icon', 'subtitle',
] as const;

const foreignKeys: ReadonlySet<string> = new Set([...runmeFrontmatterKeys, ...siteGeneratorFrontmatterKeys]);

export function isForeignFrontmatterKey(key: string): boolean {
  return foreignKeys.has(key);
}

// Whether the frontmatter's YAML has a top-level `runme:` key, the mark
// Runme puts on the documents it has opened.
export function hasRunmeFrontmatter(yaml: string): boolean {
  return /^runme[ \t]*:/m.test(yaml);
}

// Runme's `skipPrompts: true`: no block of the document asks for the values
// of its exports (`promptEnv` never, unless a block says otherwise).
export function runmeSkipsPrompts(data: Readonly<Record<string, unknown>>): boolean {
  return data['skipPrompts'] === true || data['skipPrompts'] === 'true';
}
